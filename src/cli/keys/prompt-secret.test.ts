import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptSecret } from './prompt-secret.js';

/** A stand-in terminal: records raw-mode switches and everything written to it. */
function fakeTerminal() {
  const input = new PassThrough() as PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode(mode: boolean): void; modes: boolean[] };
  input.isTTY = true;
  input.isRaw = false;
  input.modes = [];
  input.setRawMode = (mode: boolean) => {
    input.isRaw = mode;
    input.modes.push(mode);
  };
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk) => (written += chunk));
  return { input, output, written: () => written };
}

describe('promptSecret', () => {
  it('reads in raw mode without echoing, and restores the terminal', async () => {
    const terminal = fakeTerminal();
    const answer = promptSecret('vault password: ', { input: terminal.input as never, output: terminal.output });
    terminal.input.write('hunter2\r');
    expect((await answer).reveal()).toBe('hunter2');
    expect(terminal.written()).toBe('vault password: \n');
    expect(terminal.input.modes).toEqual([true, false]);
  });

  it('handles backspace, Ctrl-U and arrow-key escapes', async () => {
    const terminal = fakeTerminal();
    const answer = promptSecret('? ', { input: terminal.input as never, output: terminal.output });
    terminal.input.write('wrong\u0015pa\u001b[Dss\u007fsx\u007f');
    terminal.input.write('word\n');
    expect((await answer).reveal()).toBe('password');
  });

  it('Ctrl-C is an interruption (exit 130)', async () => {
    const terminal = fakeTerminal();
    const answer = promptSecret('? ', { input: terminal.input as never, output: terminal.output });
    terminal.input.write('abc\u0003');
    await expect(answer).rejects.toMatchObject({ exitCode: 130 });
    expect(terminal.input.isRaw).toBe(false);
  });

  it('refuses to prompt when stdin is not a terminal', async () => {
    const input = new PassThrough();
    await expect(promptSecret('? ', { input: input as never, output: new PassThrough() })).rejects.toThrow(/not a terminal/);
  });
});
