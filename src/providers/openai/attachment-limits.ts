import type { AttachmentLimits } from '../spec.js';

const MB = 1000 * 1000;

/**
 * OpenAI's vision guide allows up to 50 MB of image payload per request (and 500 images); its PDF
 * file-inputs guide allows 32 MB of file content per request (and 100 pages).
 */
export const attachmentLimits: AttachmentLimits = {
  imageBytes: 50 * MB,
  pdfBytes: 32 * MB,
  requestBytes: 50 * MB,
  images: 500,
};
