// Reads the real recorded OpenAI and DeepSeek responses kept beside the fake providers, for the
// unit tests of the mapping functions. Not a test file itself (vitest runs only *.test.ts).
import { readFileSync } from 'node:fs';

const recordings = new URL('../../../test/fake-providers/recordings/', import.meta.url);

export type RecordingVendor = 'openai' | 'deepseek';

export function readRecording(vendor: RecordingVendor, file: string): string {
  return readFileSync(new URL(`${vendor}/${file}`, recordings), 'utf8');
}

/** The JSON payloads of a recorded SSE body, in order, without the `[DONE]` terminator. */
export function readRecordedChunks(vendor: RecordingVendor, file: string): Array<Record<string, unknown>> {
  return readRecording(vendor, file)
    .split('\n\n')
    .map((frame) => frame.trim())
    .filter((frame) => frame.startsWith('data: ') && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.slice('data: '.length)) as Record<string, unknown>);
}

export function readRecordedJson(vendor: RecordingVendor, file: string): Record<string, unknown> {
  return JSON.parse(readRecording(vendor, file)) as Record<string, unknown>;
}
