/**
 * Conversation ids are file names without `.json`: `chat_YYYYMMDD_HHMMSS` in local time, with
 * `_2`, `_3`… when several start within the same second. Checking the shape also keeps a
 * user-typed id from naming a file outside the conversations directory.
 */
const ID_PATTERN = /^chat_\d{8}_\d{6}(?:_\d+)?$/;

export function isConversationId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** `YYYYMMDD_HHMMSS` in local time: the stamp in conversation and run ids. */
export function timestampId(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const day = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  return `${day}_${time}`;
}

/** The base id for a conversation first saved at `date` (local time). */
export function baseConversationId(date: Date): string {
  return `chat_${timestampId(date)}`;
}

/** The n-th candidate id for a base: the base itself, then base_2, base_3… */
export function candidateId(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base}_${attempt}`;
}

export function fileNameOf(id: string): string {
  return `${id}.json`;
}

/** `chat_….json` → `chat_…`; anything else → undefined. */
export function idOfFileName(fileName: string): string | undefined {
  if (!fileName.endsWith('.json')) return undefined;
  const id = fileName.slice(0, -'.json'.length);
  return isConversationId(id) ? id : undefined;
}
