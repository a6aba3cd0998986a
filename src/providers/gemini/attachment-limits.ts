import type { AttachmentLimits } from '../spec.js';

const MB = 1000 * 1000;

/**
 * Gemini's file-input guide: inline data up to 100 MB per request (raised from 20 MB in 2026, the
 * "Increased file size limits" announcement), a PDF sent inline up to 50 MB.
 */
export const attachmentLimits: AttachmentLimits = {
  imageBytes: 100 * MB,
  pdfBytes: 50 * MB,
  requestBytes: 100 * MB,
};
