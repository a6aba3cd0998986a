/**
 * What `llmo ask` checks before it sends anything: flags that contradict each other, stdin that
 * is not text, a prompt too large for the model, attachments too large for its endpoint.
 */
import type { ModelCatalog } from '../../config/catalog.js';
import { MAX_TIMEOUT_SECONDS } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import type { ResolvedModel } from '../../orchestrator/call-model.js';
import type { Message, ModelRequest } from '../../providers/spec.js';
import { minimumPromptTokens } from '../../usage/estimate.js';
import { withCommas } from '../../usage/pricing.js';
import type { AskOptions } from './ask-command.js';

/** `-x` (the first block) or `--extract-last`; refused with output forms that are not the answer's text. */
export function extractFlag(options: AskOptions): 'first' | 'last' | undefined {
  if (options.extract && options.extractLast) throw new UsageError('-x and --extract-last ask for different blocks; give one');
  const flag = options.extract ? '-x' : options.extractLast ? '--extract-last' : undefined;
  if (!flag) return undefined;
  const clash = options.json
    ? '--json'
    : options.schema !== undefined
      ? '--schema'
      : options.schemaMulti !== undefined
        ? '--schema-multi'
        : undefined;
  if (clash) throw new UsageError(`${flag} prints a code block of the answer's text; it does not combine with ${clash}`);
  return options.extract ? 'first' : 'last';
}

/** --repair, --repair-model and --keep-invalid mean nothing without a schema: refused, not ignored. */
export function refuseSchemaFlagsWithoutSchema(options: AskOptions): void {
  const given = [
    options.repair !== undefined && '--repair',
    options.repairModel !== undefined && '--repair-model',
    options.keepInvalid && '--keep-invalid',
  ].filter(Boolean);
  if (given.length) throw new UsageError(`${given.join(', ')} only apply with --schema or --schema-multi`);
}

/** `--timeout` is a flag: a bad value is a usage error (exit 2), said before anything else runs. */
export function checkTimeoutFlag(value: string | undefined): void {
  if (value === undefined) return;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds, got "${value}"`);
  }
  // Beyond Node's timer range the timeout would fire after 1 ms and cut every request.
  if (seconds > MAX_TIMEOUT_SECONDS)
    throw new UsageError(`--timeout can be at most ${MAX_TIMEOUT_SECONDS} seconds (a day), got "${value}"`);
}

/**
 * Piped bytes that are not text (a NUL byte, as in images, archives and UTF-16 files, or bytes
 * that are mostly not UTF-8) would reach the model as replacement characters: a paid request for
 * a meaningless answer. Refused before anything is sent.
 */
export function refuseBinary(piped: string | undefined): void {
  if (!piped) return;
  let replaced = 0;
  for (let index = piped.indexOf('\uFFFD'); index !== -1; index = piped.indexOf('\uFFFD', index + 1)) replaced++;
  const why = piped.includes('\u0000')
    ? 'it has NUL bytes'
    : replaced > 8 && replaced * 10 > piped.length
      ? 'most of it is not UTF-8'
      : undefined;
  if (why === undefined) return;
  throw new UsageError(`stdin looks like binary data, not text (${why}); nothing was sent`, {
    hint: 'pipe text: convert the file first (iconv for UTF-16, pdftotext for a PDF, base64 or xxd for raw bytes)',
  });
}

/**
 * A prompt that cannot fit the model's context window is refused before it is sent (a 10 MB pipe
 * would otherwise upload for seconds to come back as a 400). The count used is a floor, not an
 * estimate (see minimumPromptTokens), so a prompt that might fit is always sent and the vendor has
 * the last word; models without a context_window in models.yaml are not checked.
 */
export function refuseOverContextWindow(messages: readonly Message[], resolved: ResolvedModel): void {
  const window = resolved.info?.contextWindow;
  if (window === undefined) return;
  const atLeast = minimumPromptTokens(messages);
  if (atLeast <= window) return;
  throw new UsageError(
    `the prompt is at least ${withCommas(atLeast)} tokens, more than the ${withCommas(window)}-token context window of ${resolved.provider}:${resolved.modelId}; nothing was sent`,
    { hint: 'send less (split the input, or summarise it in parts), or pick a model with a larger context window (llmo models)' },
  );
}

/** Images and PDFs within what the model's endpoint takes (each adapter's documented limits). */
export async function checkAttachmentLimits(request: ModelRequest, resolved: ResolvedModel, catalog: ModelCatalog): Promise<void> {
  const api = catalog.providers.get(resolved.provider)?.api;
  if (!api) return;
  const { loadAttachmentLimits } = await import('../../providers/registry.js');
  const { checkAttachmentSizes } = await import('../../orchestrator/check-attachment-sizes.js');
  checkAttachmentSizes(request, await loadAttachmentLimits(api), `${resolved.provider}:${resolved.modelId}`);
}
