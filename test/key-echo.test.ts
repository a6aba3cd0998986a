/**
 * A hostile (or broken) endpoint echoes the key it was sent: in the `x-request-id` header, and
 * deep inside a long error message where the length limit would cut it in half. Whatever llmo
 * prints, in any command, never holds the key or a prefix of it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, removeHome, runLlmo } from './helpers/run-llmo.js';

const KEY = 'sk-echo-secret-0123456789abcdefghijklmnop';
/** Any 8 characters of the key would already identify it. */
const PREFIX = KEY.slice(0, 10);

type Mode = 'rejected' | 'server-error' | 'long-message' | 'rate-limited';
let mode: Mode = 'rejected';
let server: Server;
let home: string;

function keyOf(request: IncomingMessage): string {
  return String(request.headers.authorization ?? '').replace(/^Bearer /, '');
}

function answer(request: IncomingMessage, response: ServerResponse): void {
  const key = keyOf(request);
  request.resume();
  request.on('end', () => {
    const headers = { 'content-type': 'application/json', 'x-request-id': key };
    if (mode === 'rejected') {
      response
        .writeHead(401, headers)
        .end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error' } }));
    } else if (mode === 'server-error') {
      response.writeHead(500, headers).end(JSON.stringify({ error: { message: 'internal failure', type: 'server_error' } }));
    } else if (mode === 'long-message') {
      // The key straddles the 500-character limit of the vendor's words.
      const message = `${'x'.repeat(490)} ${key}`;
      response.writeHead(400, headers).end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
    } else {
      response.writeHead(429, headers).end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit_exceeded' } }));
    }
  });
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  home = makeHome();
  writeFileSync(
    path.join(home, 'models.yaml'),
    `echo:\n  api: openai\n  api_key_name: ECHO_API_KEY\n  base_url: http://127.0.0.1:${port}/v1\n  default_model: echo-1\n  models:\n    - name: echo-1\n`,
  );
  writeFileSync(path.join(home, 'config.yaml'), 'request:\n  retries: 0\n');
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  removeHome(home);
});

const run = (args: string[]) => runLlmo(args, { home, env: { ECHO_API_KEY: KEY } });

function expectNoKey(output: string): void {
  expect(output).not.toContain(PREFIX);
  expect(output).not.toContain(KEY.slice(-10));
}

describe('a key echoed back by the endpoint', () => {
  it.each<Mode>(['rejected', 'server-error', 'long-message', 'rate-limited'])('is never printed by ask (%s)', async (which) => {
    mode = which;
    for (const extra of [[], ['--no-stream'], ['--json']]) {
      const result = await run(['ask', '--no-save', '-m', 'echo', ...extra, 'hi']);
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stderr).toMatch(/^llmo: /);
      expectNoKey(result.stdout + result.stderr);
    }
  });

  it('is never printed by parallel or chain run', async () => {
    mode = 'rejected';
    const parallel = await run(['parallel', '-m', 'echo', '-m', 'echo:echo-1', 'hi']);
    expect(parallel.code).not.toBe(0);
    expectNoKey(parallel.stdout + parallel.stderr);
    const chainFile = path.join(home, 'chain.yaml');
    writeFileSync(chainFile, 'description: one step\nsteps:\n  - name: only\n    model: echo\n    prompt: "{{input}}"\n');
    const chain = await run(['chain', 'run', chainFile, 'hi']);
    expect(chain.code).not.toBe(0);
    expectNoKey(chain.stdout + chain.stderr);
  });
});
