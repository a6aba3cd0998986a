/**
 * A call whose reply must be JSON matching a schema: the request asks for it in the vendor's
 * native form, the reply is read tolerantly and validated against the user's own schema (the
 * vendor may have dropped parts of it), and an invalid reply goes back to the model (or the
 * repair model) with the problems, up to `repairs` times. Every attempt is a callModel call:
 * budget-checked, logged and costed like any other. A reply cut off at the token limit, or
 * stopped by a content filter, is not repaired: asking again would meet the same wall.
 */
import { type LlmoError, ValidationError } from '../errors.js';
import type { Usage } from '../providers/spec.js';
import { extractJson } from '../structured/extract-json.js';
import type { PreparedSchema } from '../structured/prepare-schema.js';
import { repairMessages, type ReplyProblem } from '../structured/repair-prompt.js';
import { describeIssues, type ValidationIssue } from '../structured/validator.js';
import { type CallOptions, type CallResult, callModel, type ResolvedModel } from './call-model.js';

export interface StructuredCallOptions extends CallOptions {
  schema: PreparedSchema;
  /** How many times an invalid reply is sent back for correction (0: never). */
  repairs: number;
  /** The model that corrects an invalid reply (default: the one that gave it). */
  repairModel?: ResolvedModel | undefined;
  /** Before each repair call, with its number (1, 2, …) and why. */
  onRepair?: (attempt: number, problem: string) => void;
}

export interface StructuredResult {
  /** Every call, the first one then each repair, in order. */
  calls: CallResult[];
  /** The last call made. */
  final: CallResult;
  valid: boolean;
  /** The last reply's JSON value (valid or not); undefined when it held none. */
  data: unknown;
  /** Why the last reply was rejected (empty when valid). */
  issues: ValidationIssue[];
  /** Undefined when valid; a ValidationError, or the failed call's own error. */
  error: LlmoError | undefined;
  /** Summed over every call. */
  usage: Usage | undefined;
  costUsd: number | undefined;
}

export async function callStructured(options: StructuredCallOptions): Promise<StructuredResult> {
  const { schema, request } = options;
  const structuredRequest = { ...request, responseFormat: schema.responseFormat };
  const calls: CallResult[] = [];
  let messages = request.messages;
  for (let attempt = 0; ; attempt += 1) {
    const resolved = attempt === 0 ? options.resolved : (options.repairModel ?? options.resolved);
    const result = await callModel({ ...options, resolved, request: { ...structuredRequest, messages } });
    calls.push(result);
    const finish = (outcome: Pick<StructuredResult, 'valid' | 'data' | 'issues' | 'error'>): StructuredResult => ({
      ...outcome,
      calls,
      final: result,
      ...totals(calls),
    });
    if (result.status !== 'ok') return finish({ valid: false, data: undefined, issues: [], error: result.error });

    const extracted = extractJson(result.text);
    const issues = extracted.ok ? schema.validator.validate(extracted.value) : [];
    const data = extracted.ok ? extracted.value : undefined;
    if (extracted.ok && issues.length === 0) return finish({ valid: true, data, issues, error: undefined });

    const problem: ReplyProblem = extracted.ok ? { kind: 'invalid', issues } : { kind: 'unparsable', problem: extracted.problem };
    const shown = extracted.ok ? issues : [{ path: '/', message: extracted.problem }];
    const who = `${result.provider}:${result.modelId}`;
    const unrepairable = unrepairableBecause(result);
    if (unrepairable)
      return finish({
        valid: false,
        data,
        issues: shown,
        error: new ValidationError(`${who}: ${unrepairable.message}`, { hint: unrepairable.hint }),
      });
    if (attempt >= options.repairs) {
      const tries = calls.length === 1 ? 'its reply' : `${calls.length} attempts`;
      return finish({ valid: false, data, issues: shown, error: mismatchError(who, tries, shown, options.repairs) });
    }
    options.onRepair?.(attempt + 1, describeIssues(shown, 1)[0]!);
    messages = repairMessages(request.messages, result.text, problem);
  }
}

function unrepairableBecause(result: CallResult): { message: string; hint: string } | undefined {
  if (result.finishReason === 'length') {
    return {
      message:
        'the reply was cut off at the output token limit before its JSON was complete; not repaired, as a repair would be cut off too',
      hint: 'raise --max-tokens (or max_tokens in the chain step)',
    };
  }
  if (result.finishReason === 'content-filter') {
    return {
      message: 'the reply was refused or stopped by the content filter; not repaired',
      hint: 'rephrase the prompt; a refusal is not a formatting mistake',
    };
  }
  return undefined;
}

function mismatchError(who: string, tries: string, issues: readonly ValidationIssue[], repairs: number): ValidationError {
  const lines = describeIssues(issues, 20);
  const advice = repairs === 0 ? 'allow repairs with --repair N' : 'try --repair with a higher number, --repair-model, or a simpler schema';
  return new ValidationError(`${who}: ${tries} did not match the schema: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, {
    hint: `${lines.join('\n  ')}\n  ${advice}`,
  });
}

function totals(calls: readonly CallResult[]): Pick<StructuredResult, 'usage' | 'costUsd'> {
  const withUsage = calls.filter((call) => call.usage !== undefined);
  const priced = calls.filter((call) => call.costUsd !== undefined);
  return {
    usage: withUsage.length
      ? {
          inputTokens: withUsage.reduce((sum, call) => sum + call.usage!.inputTokens, 0),
          outputTokens: withUsage.reduce((sum, call) => sum + call.usage!.outputTokens, 0),
        }
      : undefined,
    costUsd: priced.length ? priced.reduce((sum, call) => sum + call.costUsd!, 0) : undefined,
  };
}
