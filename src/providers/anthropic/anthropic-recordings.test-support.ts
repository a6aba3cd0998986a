// Reads the real recorded Anthropic responses kept beside the fake providers, for the unit tests
// of the mapping functions. Not a test file itself (vitest runs only *.test.ts).
import { readFileSync } from 'node:fs';
import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk/core/error';

const recordings = new URL('../../../test/fake-providers/recordings/anthropic/', import.meta.url);

export function readRecording(file: string): string {
  return readFileSync(new URL(file, recordings), 'utf8');
}

/** One recorded SSE event: its `event:` name and its parsed `data:` (padding spaces and all). */
export interface RecordedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** The events of a recorded `event:`/`data:` body, in order. */
export function readRecordedEvents(file: string): RecordedEvent[] {
  return readRecording(file)
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? '';
      const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length) ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** What the SDK's stream yields for a recording: every event but `ping` (it skips those). */
export function readRecordedStream(file: string): Anthropic.RawMessageStreamEvent[] {
  return readRecordedEvents(file)
    .filter(({ event }) => event !== 'ping' && event !== 'error')
    .map(({ data }) => data as unknown as Anthropic.RawMessageStreamEvent);
}

/** A recorded response's status and headers, from its .meta.json sidecar. */
export function readRecordedResponse(file: string): { status: number; headers: Record<string, string> } {
  const meta = JSON.parse(readRecording(file.replace(/\.[a-z]+$/, '.meta.json'))) as {
    response: { status: number; headers: Record<string, string> };
  };
  return meta.response;
}

/**
 * The error the SDK itself builds from a recorded error response (APIError.generate is what its
 * client calls). Headers the recorder replaced by placeholders (`<REQUEST_ID>`) are left out.
 */
export function sdkErrorFromRecording(file: string, headerOverrides: Record<string, string> = {}): APIError {
  const { status, headers: recorded } = readRecordedResponse(file);
  const headers = Object.fromEntries(Object.entries(recorded).filter(([, value]) => !/^<[A-Z_]+>$/.test(value)));
  const text = readRecording(file);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const responseHeaders = new Headers({ ...headers, ...headerOverrides });
  return APIError.generate(status, body as object | undefined, body === undefined ? text : undefined, responseHeaders);
}
