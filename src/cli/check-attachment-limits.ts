/** Images and PDFs within what the model's endpoint takes (each adapter's documented limits), for ask -a and the chat's /attach. */
import type { ModelCatalog } from '../config/catalog.js';
import { checkAttachmentSizes } from '../orchestrator/check-attachment-sizes.js';
import type { ResolvedModel } from '../orchestrator/call-model.js';
import { loadAttachmentLimits } from '../providers/registry.js';
import type { ModelRequest } from '../providers/spec.js';

/** Throws (exit 2) naming the file over a limit, before the request is made. */
export async function checkAttachmentLimits(request: ModelRequest, resolved: ResolvedModel, catalog: ModelCatalog): Promise<void> {
  const api = catalog.providers.get(resolved.provider)?.api;
  if (!api) return;
  checkAttachmentSizes(request, await loadAttachmentLimits(api), `${resolved.provider}:${resolved.modelId}`);
}
