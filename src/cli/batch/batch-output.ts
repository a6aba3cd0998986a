import { createWriteStream } from 'node:fs';

/** The output JSONL: a file (rewritten whole, in input order) or stdout, with backpressure. */
export function openOutput(file: string | undefined): { write: (text: string) => Promise<void> | void; close: () => Promise<void> } {
  const stream = file ? createWriteStream(file, { flags: 'w' }) : process.stdout;
  return {
    write: (text) => {
      if (!stream.write(text)) return new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    },
    close: () =>
      file
        ? new Promise<void>((resolve, reject) =>
            (stream as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())),
          )
        : Promise.resolve(),
  };
}
