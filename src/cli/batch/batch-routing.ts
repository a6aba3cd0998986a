/**
 * `-m auto…` in a batch (README, "Batch"). Local mode routes every line on its own request (its
 * prompt, max_tokens, --schema) as ask would, and so does a line naming `"model": "auto:best"`.
 * Routing's inputs (keys, measured speeds, budget) are read once, so the first pass (the budget
 * check) and the sending choose the same model for a line. Vendor mode: a vendor batch runs one
 * model of one provider, so routing chooses it once, before the batch is created, among models
 * with a batch API, on the input's longest line (whose context window must hold every line).
 */
import type { BatchLine } from '../../batch/batch-line.js';
import { batchItems, type InputSource } from '../../batch/scan-input.js';
import type { RouteLine } from '../../batch/send-line.js';
import { estimatePromptTokens } from '../../usage/estimate.js';
import type { ModelCatalog } from '../../config/load.js';
import { ConfigError, UsageError } from '../../errors.js';
import type { ResolvedModel } from '../../orchestrator/call-model.js';
import { resolveModelRef } from '../../providers/registry.js';
import { isAutoRef } from '../route/is-auto-ref.js';
import type { BatchInputOptions } from './batch-command.js';
import type { RouteChoice, RoutingContext } from '../route/route-model.js';

export interface LineRouter {
  /** For the first pass: also counts the choices, and prints --explain's ranking the first time each model wins. */
  scan: RouteLine;
  send: RouteLine;
  /** `auto:cheap chose cheapco:cheap-1 for 7 lines, fastco:fast-1 for 3`, one per auto reference the first pass met. */
  summary(): string[];
}

/** Routing's inputs are read (and its code loaded) at the first `auto…` reference, so a batch without one pays nothing. */
export function lineRouter(options: { maxTokens: number | undefined; schema: boolean; explain: boolean }): LineRouter {
  let routing: Promise<{ module: typeof import('../route/route-model.js'); context: RoutingContext }> | undefined;
  const prepared = () => {
    routing ??= import('../route/route-model.js').then(async (module) => ({ module, context: await module.prepareRouting() }));
    return routing;
  };
  const choose = async (ref: string, line: BatchLine, explain = false) => {
    const { module, context } = await prepared();
    const maxTokens = line.maxTokens ?? options.maxTokens;
    const request = { messages: line.messages, ...(maxTokens === undefined ? {} : { maxTokens }) };
    return module.chooseModel(context, ref, { request, schema: options.schema, explain });
  };
  const counts = new Map<string, Map<string, number>>();
  return {
    scan: async (ref, line) => {
      if (!isAutoRef(ref)) return { ref };
      let choice = await choose(ref, line);
      const byModel = counts.get(ref) ?? new Map<string, number>();
      counts.set(ref, byModel);
      const seen = byModel.get(choice.ref) ?? 0;
      byModel.set(choice.ref, seen + 1);
      if (options.explain && seen === 0) {
        process.stderr.write(`llmo: line ${line.lineNumber}:\n`);
        choice = await choose(ref, line, true);
      }
      return { ref: choice.ref, routed: choice.routed };
    },
    send: async (ref, line) => {
      if (!isAutoRef(ref)) return { ref };
      const choice = await choose(ref, line);
      return { ref: choice.ref, routed: choice.routed };
    },
    summary: () =>
      [...counts].map(
        ([ref, byModel]) =>
          `${ref} chose ${[...byModel]
            .sort((a, b) => b[1] - a[1])
            .map(([model, lines], index) => `${model} for ${lines}${index === 0 ? ` line${lines === 1 ? '' : 's'}` : ''}`)
            .join(', ')}`,
      ),
  };
}

/** The one model a vendor batch runs for `-m auto…`: routed on the longest line, among models with a batch API. */
export async function routeVendorBatch(
  autoRef: string,
  source: InputSource,
  options: { maxTokens: number | undefined; explain: boolean },
): Promise<RouteChoice> {
  let longest: { messages: BatchLine['messages']; tokens: number } | undefined;
  for await (const item of batchItems(source)) {
    if (item.kind !== 'line') continue;
    const tokens = estimatePromptTokens(item.line.messages);
    if (!longest || tokens > longest.tokens) longest = { messages: item.line.messages, tokens };
  }
  const { routeModel } = await import('../route/route-model.js');
  const request = longest
    ? { messages: longest.messages, ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }) }
    : undefined;
  return routeModel(autoRef, { request, batch: true, explain: options.explain });
}

/** An unknown mode in -m auto:MODE, and --explain without -m auto, are usage errors before anything is read. */
export async function checkRouting(options: BatchInputOptions): Promise<void> {
  if (options.model !== undefined && isAutoRef(options.model)) (await import('../route/route-model.js')).routingModeOf(options.model);
  else if (options.explain) throw new UsageError('--explain shows how -m auto chose a model; use it with -m auto or -m auto:MODE');
}

/**
 * One vendor batch runs one model; a line naming another belongs in a batch of its own. Checked
 * on the references the scan saw, so nothing is uploaded for an input that would be refused.
 */
export function checkOneModel(
  refs: ReadonlySet<string>,
  catalog: ModelCatalog,
  resolved: ResolvedModel,
  concrete: (ref: string) => string,
): void {
  for (const ref of refs) {
    if (resolveModelRef(catalog, concrete(ref)).modelId === resolved.modelId) continue;
    throw new ConfigError(`a line names model ${ref}, but a vendor batch runs one model (${resolved.provider}:${resolved.modelId})`, {
      hint: 'split the input by model, or run it locally: llmo batch run',
    });
  }
}

/**
 * A line's model as the vendor batch sees it: -m auto… is the model routing chose for the batch; a
 * line naming another auto reference would need a choice of its own, which one batch cannot hold.
 */
export function vendorRef(ref: string, autoRef: string, routed: string | undefined): string {
  if (routed !== undefined && ref === autoRef) return routed;
  if (isAutoRef(ref))
    throw new ConfigError(
      `"model": "${ref}" routes each line on its own, and a vendor batch runs one model; give -m ${ref} for the whole batch, or run it locally (--mode local)`,
    );
  return ref;
}
