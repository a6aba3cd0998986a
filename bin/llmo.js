#!/usr/bin/env node
// The `llmo` command: the one place that turns an error into a message and an exit code.
// `--version` is answered before anything else loads, so scripts that probe it pay only for node.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  // Node's fetch parses HTTP with llhttp compiled to WebAssembly. V8 recompiles that module with
  // its optimising tier in the background, and node waits for the job before it exits: ≈ 80 ms
  // added to every run that made a request. The baseline tier is ample for a CLI's few responses.
  setFlagsFromString('--liftoff-only');
  // With LLMO_DEBUG, stacks name the TypeScript sources (dist/ ships source maps) instead of chunks.
  if (process.env.LLMO_DEBUG) process.setSourceMapsEnabled(true);
  // `llmo ask … | head -1`: once the reader has gone, stop quietly instead of crashing with an
  // unhandled EPIPE stack; like a program killed by SIGPIPE, the rest of the output is dropped.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  try {
    // An `ask` answered from the response cache before may be answered again without loading the
    // rest of llmo (src/cli/ask/direct-answer.ts); anything else, and any doubt, takes the full path.
    const direct = argv[0] === 'ask' ? (await import('../dist/direct.js')).answerDirectly : undefined;
    if (direct && (await direct(argv))) {
      process.exitCode = 0;
    } else {
      const { run } = await import('../dist/cli.js');
      process.exitCode = await run(argv);
    }
  } catch (error) {
    process.exitCode = report(error);
  }
}

/** Prints `llmo: message` (and a hint line) on stderr and returns the exit code. */
function report(error) {
  const known = error !== null && typeof error === 'object' && typeof error.exitCode === 'number';
  if (known) {
    // Provider errors carry the vendor's own message; say whose it is and which request it was.
    const provider = error.provider && !error.message.startsWith(error.provider) ? `${error.provider}: ` : '';
    const request = error.requestId && !error.message.includes(error.requestId) ? ` (request id ${error.requestId})` : '';
    process.stderr.write(`llmo: ${provider}${error.message}${request}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    return error.exitCode;
  }
  const detail = process.env.LLMO_DEBUG && error instanceof Error ? error.stack : String(error?.message ?? error);
  process.stderr.write(`llmo: internal error: ${detail}\n  please report it; LLMO_DEBUG=1 shows the stack\n`);
  return 1;
}
