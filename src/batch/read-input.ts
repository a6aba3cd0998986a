/**
 * Reads a batch input file one record at a time, never whole: JSONL (one object per line) or CSV
 * with a header row (a quoted field may hold commas, doubled quotes and line breaks). Blank lines
 * are skipped but still counted, so every record and every problem carries its real line number.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export type InputFormat = 'jsonl' | 'csv';

export type InputRecord =
  | { lineNumber: number; fields: Record<string, unknown>; problem?: undefined }
  | { lineNumber: number; fields?: undefined; problem: string };

/** `.csv` files are CSV; everything else is read as JSONL. */
export function formatOf(file: string): InputFormat {
  return file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}

export async function* readInputRecords(file: string, format: InputFormat): AsyncGenerator<InputRecord> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  if (format === 'jsonl') yield* jsonlRecords(lines);
  else yield* csvRecords(lines);
}

async function* jsonlRecords(lines: AsyncIterable<string>): AsyncGenerator<InputRecord> {
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      yield { lineNumber, problem: `not valid JSON (${(error as Error).message})` };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { lineNumber, problem: 'expected a JSON object such as {"id": "a", "prompt": "…"}' };
      continue;
    }
    yield { lineNumber, fields: value as Record<string, unknown> };
  }
}

async function* csvRecords(lines: AsyncIterable<string>): AsyncGenerator<InputRecord> {
  let lineNumber = 0;
  let header: string[] | undefined;
  let pending: { text: string; lineNumber: number } | undefined;
  for await (const line of lines) {
    lineNumber += 1;
    if (!pending && line.trim() === '') continue;
    pending = pending ? { text: `${pending.text}\n${line}`, lineNumber: pending.lineNumber } : { text: line, lineNumber };
    const cells = splitCsvRow(pending.text);
    // An open quote: the record goes on over the next line.
    if (cells === undefined) continue;
    const start = pending.lineNumber;
    pending = undefined;
    if (!header) {
      header = cells.map((cell) => cell.trim());
      continue;
    }
    if (cells.length !== header.length) {
      yield { lineNumber: start, problem: `has ${cells.length} fields but the header names ${header.length}` };
      continue;
    }
    yield { lineNumber: start, fields: Object.fromEntries(header.map((name, index) => [name, cells[index]!])) };
  }
  if (pending) yield { lineNumber: pending.lineNumber, problem: 'a quoted field is never closed' };
}

/** The cells of one CSV record (RFC 4180), or undefined while a quoted field is still open. */
export function splitCsvRow(text: string): string[] | undefined {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quoted) {
      if (character !== '"') cell += character;
      else if (text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else quoted = false;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      cells.push(cell);
      cell = '';
    } else cell += character;
  }
  if (quoted) return undefined;
  cells.push(cell);
  return cells;
}
