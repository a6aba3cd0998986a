/**
 * Images and PDFs over the vendor's documented limits are refused before the call: the upload
 * would take its time only to come back as a 400 (the limits live with each adapter).
 */
import { UsageError } from '../errors.js';
import type { AttachmentLimits, ModelRequest, UserContentPart } from '../providers/spec.js';

const megabytes = (bytes: number): string => `${(bytes / 1000 / 1000).toFixed(1)} MB`;

/** Throws a UsageError (exit 2) naming the first attachment, or the request, over a limit. */
export function checkAttachmentSizes(request: ModelRequest, limits: AttachmentLimits, who: string): void {
  let total = 0;
  let images = 0;
  for (const part of inlineParts(request)) {
    const size = part.source.type === 'bytes' ? part.source.data.length : 0;
    const name = part.type === 'document' && part.name ? part.name : part.type === 'image' ? 'an image' : 'a PDF';
    const limit = part.type === 'image' ? limits.imageBytes : limits.pdfBytes;
    if (part.type === 'image') images++;
    if (size > limit) {
      throw new UsageError(
        `${name} is ${megabytes(size)}, over the ${megabytes(limit)} ${who} takes per ${part.type === 'image' ? 'image' : 'PDF'}; nothing was sent`,
        {
          hint:
            part.type === 'image'
              ? 'shrink it first (e.g. convert -resize 50%), or use a model of another provider'
              : 'split the PDF, or use a model of another provider',
        },
      );
    }
    total += size;
  }
  if (total > limits.requestBytes) {
    throw new UsageError(
      `the attachments come to ${megabytes(total)}, over the ${megabytes(limits.requestBytes)} ${who} takes per request; nothing was sent`,
      {
        hint: 'attach fewer or smaller files, one request each',
      },
    );
  }
  if (limits.images !== undefined && images > limits.images) {
    throw new UsageError(`${images} images, more than the ${limits.images} ${who} takes per request; nothing was sent`, {
      hint: 'attach fewer images, or ask in several requests',
    });
  }
}

function* inlineParts(request: ModelRequest): Generator<Exclude<UserContentPart, { type: 'text' }>> {
  for (const message of request.messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) if (part.type !== 'text') yield part;
  }
}
