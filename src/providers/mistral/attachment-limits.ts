import type { AttachmentLimits } from '../spec.js';

const MB = 1000 * 1000;

/**
 * Mistral's vision docs: at most 10 MB per image and 8 images per request; its document (OCR)
 * docs: a document up to 50 MB (and 1,000 pages).
 */
export const attachmentLimits: AttachmentLimits = {
  imageBytes: 10 * MB,
  pdfBytes: 50 * MB,
  requestBytes: 50 * MB,
  images: 8,
};
