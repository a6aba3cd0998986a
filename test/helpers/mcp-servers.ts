/**
 * The real MCP reference servers (dev dependencies), run from node_modules with this node: no
 * network, no npx. server-everything also serves streamable HTTP and SSE on a loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot } from './run-llmo.js';

export const everythingScript = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const filesystemScript = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
/** A tiny server built on the SDK's server API: one `show-env` tool answering with a variable. */
export const echoEnvScript = path.join(repoRoot, 'test/helpers/echo-env-server.mjs');

/** A port nothing listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface HttpServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** server-everything in `streamableHttp` (at /mcp) or `sse` (at /sse) mode, once it listens. */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse'): Promise<HttpServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [everythingScript, mode], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening on port|running on port/i.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server-everything ${mode} exited (${code}): ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The NUL-separated command line and environment of a live process (Linux /proc). */
export function processDetails(pid: number): { argv: string[]; environment: Record<string, string> } {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const environment = Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
  return { argv, environment };
}
