import type { AttachmentLimits } from '../spec.js';

const MIB = 1024 * 1024;

/**
 * Anthropic's Messages API refuses an image whose base64 text passes 5 MiB ("image exceeds 5 MB
 * maximum: … bytes > 5242880 bytes", the vision docs' API limit), which is 3.75 MiB of image; a
 * request may be at most 32 MB, the PDF support docs' limit for documents (with at most 100 pages).
 */
export const attachmentLimits: AttachmentLimits = {
  imageBytes: (5 * MIB * 3) / 4,
  pdfBytes: (32 * 1000 * 1000 * 3) / 4,
  requestBytes: (32 * 1000 * 1000 * 3) / 4,
  images: 100,
};
