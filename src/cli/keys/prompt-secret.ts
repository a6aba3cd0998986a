/**
 * A no-echo prompt on the terminal: the question on stderr, the answer read in raw mode so
 * nothing typed is displayed (or left in the terminal's scrollback).
 */
import { InterruptedError, UsageError } from '../../errors.js';
import type { Secret as SecretType } from '../../vault/index.js';

export interface PromptIO {
  input: NodeJS.ReadStream;
  output: NodeJS.WritableStream;
}

export function canPrompt(input: NodeJS.ReadStream = process.stdin): boolean {
  return Boolean(input.isTTY);
}

export async function promptSecret(question: string, io: PromptIO = { input: process.stdin, output: process.stderr }): Promise<SecretType> {
  const { Secret } = await import('../../vault/index.js');
  const { input, output } = io;
  if (!input.isTTY) throw new UsageError('cannot prompt: stdin is not a terminal');
  // Raw mode before the question: an answer typed (or pasted) the moment it appears must not echo.
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  output.write(question);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    let escaping = false;
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (escaping) {
          // Skip a terminal escaping sequence (arrow keys…) up to its final letter or ~.
          if (/[A-Za-z~]/.test(char)) escaping = false;
          continue;
        }
        switch (char) {
          case '\r':
          case '\n':
            finish();
            return resolve(new Secret(value));
          case '\u0003':
            finish();
            return reject(new InterruptedError());
          case '\u0004':
            if (value === '') {
              finish();
              return reject(new UsageError('no input given'));
            }
            continue;
          case '\u007f':
          case '\b':
            value = Array.from(value).slice(0, -1).join('');
            continue;
          case '\u0015':
            value = '';
            continue;
          case '\u001b':
            escaping = true;
            continue;
          default:
            if (char >= ' ') value += char;
        }
      }
    };
    input.on('data', onData);
  });
}
