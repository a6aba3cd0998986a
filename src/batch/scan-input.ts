/**
 * The input, read as a stream of batch items, and the first pass over it that happens before any
 * request: every line is checked (a malformed one is reported with its line number), counted, and
 * its worst case added to the budget plan. The plan keeps one PlannedCall per distinct
 * (model, max_tokens, prompt estimate), shared by every line that has it, so checking a 100,000-line
 * batch against the budgets costs a list of references, not 100,000 copies of the prompts.
 */
import type { ModelCatalog, Pricing } from '../config/catalog.js';
import { resolveModelRef } from '../providers/registry.js';
import { estimatePromptTokens } from '../usage/estimate.js';
import type { PlannedCall } from '../usage/accounting.js';
import { type BatchLine, type LineDefaults, toBatchLine } from './batch-line.js';
import { type InputFormat, readInputRecords } from './read-input.js';
import type { BatchItem } from './run-local-batch.js';

export interface InputSource extends LineDefaults {
  file: string;
  format: InputFormat;
}

/** Every input record in order, each either a line to send or the reason it cannot be sent. */
export async function* batchItems(source: InputSource): AsyncGenerator<BatchItem> {
  let index = 0;
  for await (const record of readInputRecords(source.file, source.format)) {
    const position = { index, lineNumber: record.lineNumber };
    index += 1;
    const line = record.fields ? toBatchLine(record.fields, position, source) : record.problem;
    if (typeof line !== 'string') yield { kind: 'line', line };
    else {
      const id = record.fields?.id;
      yield { kind: 'invalid', ...position, id: typeof id === 'string' || typeof id === 'number' ? id : record.lineNumber, problem: line };
    }
  }
}

export interface ScanOptions {
  catalog: ModelCatalog;
  /** The -m reference. */
  model: string;
  /** --max-tokens, else each model's default for requests. */
  maxTokens?: number | undefined;
  fallbackMaxTokens: number;
  /** The prices the plan counts with (vendor mode: batch prices); default: the model's own. */
  pricing?: ((pricing: Pricing | undefined) => Pricing | undefined) | undefined;
  /** `-m auto…`: the reference of the model routing chooses for a line, priced in the plan. */
  route?: ((ref: string, line: BatchLine) => Promise<string>) | undefined;
  /** Lines that need no request (already done, on resume). */
  skip?: ((index: number) => boolean) | undefined;
}

export interface Scan {
  total: number;
  problems: Array<{ lineNumber: number; problem: string }>;
  problemCount: number;
  /** The worst case of every line still to send, for Accounting.checkBudget. */
  plan: PlannedCall[];
  /** The model references lines use (-m and any a line names). */
  refs: Set<string>;
}

const MAX_PROBLEMS_KEPT = 20;

export async function scanInput(source: InputSource, options: ScanOptions): Promise<Scan> {
  const scan: Scan = { total: 0, problems: [], problemCount: 0, plan: [], refs: new Set([options.model]) };
  const shared = new Map<string, PlannedCall>();
  const problem = (lineNumber: number, text: string) => {
    scan.problemCount += 1;
    if (scan.problems.length < MAX_PROBLEMS_KEPT) scan.problems.push({ lineNumber, problem: text });
  };
  for await (const item of batchItems(source)) {
    scan.total += 1;
    if (item.kind === 'invalid') {
      problem(item.lineNumber, item.problem);
      continue;
    }
    const { line } = item;
    let planned: PlannedCall;
    try {
      planned = plannedCall(line, options.route ? await options.route(line.model ?? options.model, line) : undefined, options, shared);
    } catch (error) {
      problem(line.lineNumber, (error as Error).message);
      continue;
    }
    if (line.model) scan.refs.add(line.model);
    if (!options.skip?.(line.index)) scan.plan.push(planned);
  }
  return scan;
}

/** `routed`: the model routing chose for the line, when its reference is `auto…`. */
function plannedCall(line: BatchLine, routed: string | undefined, options: ScanOptions, shared: Map<string, PlannedCall>): PlannedCall {
  const resolved = resolveModelRef(options.catalog, routed ?? line.model ?? options.model);
  const maxTokens = line.maxTokens ?? options.maxTokens ?? resolved.info?.defaultMaxTokens ?? options.fallbackMaxTokens;
  const key = `${resolved.provider.name}:${resolved.modelId}\u0000${maxTokens}\u0000${estimatePromptTokens(line.messages)}`;
  let planned = shared.get(key);
  if (!planned) {
    planned = {
      provider: resolved.provider.name,
      model: resolved.modelId,
      pricing: options.pricing ? options.pricing(resolved.info?.pricing) : resolved.info?.pricing,
      request: { messages: line.messages, maxTokens },
      defaultMaxTokens: resolved.info?.maxTokens,
    };
    shared.set(key, planned);
  }
  return planned;
}

/** What a line counts against a tokens-per-minute limit: its prompt estimate plus max_tokens. */
export function tokensFor(line: BatchLine, maxTokens: number): number {
  return estimatePromptTokens(line.messages) + (line.maxTokens ?? maxTokens);
}
