/**
 * Starting the agent: a detached node process running dist/agent.js (its own esbuild entry).
 * The data key goes to it over a pipe; its environment has no LLMO_* variables; on POSIX it runs
 * under `ulimit -c 0` so a crash cannot write the key into a core file.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthError, LlmoError } from '../errors.js';
import { callAgent, type AgentReply } from './agent-client.js';
import { agentSocketPath, type AgentStatus } from './agent-protocol.js';
import { childEnvironment } from './child-env.js';
import { withFileLock } from '../fs/file-lock.js';
import { ensurePrivateDir } from './private-dir.js';
import type { SecretBytes } from './secret.js';
import { zero } from './secret.js';

/** sun_path is 108 bytes on Linux and 104 on macOS, terminator included. */
const MAX_SOCKET_PATH = 100;

export interface StartAgentOptions {
  runtimeDir: string;
  dataKey: SecretBytes;
  idleMs: number;
  maxMs: number;
  /** `vaultFingerprint` of the vault the key opens. */
  vault?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export async function startAgent(options: StartAgentOptions): Promise<AgentStatus> {
  ensurePrivateDir(options.runtimeDir);
  const socketPath = agentSocketPath(options.runtimeDir);
  if (process.platform !== 'win32' && Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new AuthError(`the agent socket path is too long for this system: ${socketPath}`, {
      hint: 'set XDG_RUNTIME_DIR (or LLMO_HOME) to a shorter directory, or use: llmo auth unlock --export',
    });
  }
  // One start at a time: two `unlock`s racing would both see no agent, and the second one's
  // agent would fail to listen (EADDRINUSE) or unlink the first one's fresh socket.
  return withFileLock(path.join(options.runtimeDir, 'agent.lock'), async () => {
    const running = await callAgent(options.runtimeDir, { op: 'ping' });
    return running ? provenStatus(running, options, socketPath) : spawnAgent(options, socketPath);
  });
}

/**
 * Whatever answers on the socket must prove it holds the key we hold for this vault before we
 * report the vault unlocked: a socket planted there (or an agent of another vault) cannot.
 */
function provenStatus(reply: AgentReply, options: StartAgentOptions, socketPath: string): AgentStatus {
  if (reply.proves(options.dataKey, options.vault ?? '')) return reply.status;
  throw new AuthError(`the process listening on the llmo agent's socket (${socketPath}) cannot prove it holds this vault's key`, {
    hint: 'it is not an agent llmo started for this vault: end it (or remove the socket), then run `llmo auth unlock` again',
  });
}

async function spawnAgent(options: StartAgentOptions, socketPath: string): Promise<AgentStatus> {
  const child = spawnDetached(agentScript(), agentEnvironment(options.env ?? process.env));
  const settings = JSON.stringify({ socketPath, idleMs: options.idleMs, maxMs: options.maxMs, vault: options.vault });
  const message = Buffer.concat([Buffer.from(`${settings}\n`), options.dataKey.reveal()]);
  child.stdin!.on('error', () => zero(message));
  child.stdin!.end(message, () => zero(message));
  const answer = await firstLine(child.stdout!, child);
  zero(message);
  child.unref();
  if (answer !== 'ready') {
    if (answer.includes('another agent is already running')) {
      const running = await callAgent(options.runtimeDir, { op: 'ping' });
      if (running) return provenStatus(running, options, socketPath);
    }
    throw new LlmoError(`the llmo agent did not start: ${answer}`, {
      hint: 'use `llmo auth unlock --export` where no background process may run',
    });
  }
  const started = await callAgent(options.runtimeDir, { op: 'ping' });
  if (!started) throw new LlmoError('the llmo agent started but does not answer');
  return provenStatus(started, options, socketPath);
}

/**
 * The agent lives for hours and needs nothing from the shell that started it: it gets no API
 * keys, tokens or LLMO_* settings, only what node itself may look for.
 */
export function agentEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'SystemRoot', 'TMPDIR', 'TZ']) {
    const value = env[name];
    if (value !== undefined) kept[name] = value;
  }
  return childEnvironment(kept);
}

function spawnDetached(script: string, env: NodeJS.ProcessEnv) {
  const stdio: ['pipe', 'pipe', 'ignore'] = ['pipe', 'pipe', 'ignore'];
  if (process.platform !== 'win32' && existsSync('/bin/sh')) {
    // "$0" is node, "$1" the script: exec replaces the shell, so the agent is node itself.
    return spawn('/bin/sh', ['-c', 'ulimit -c 0 2>/dev/null; exec "$0" "$1"', process.execPath, script], {
      detached: true,
      stdio,
      env,
      cwd: '/',
    });
  }
  return spawn(process.execPath, [script], { detached: true, stdio, env, windowsHide: true });
}

/**
 * dist/agent.js, found from wherever this module was bundled: dist/ itself, a chunk under
 * dist/chunks/, or src/vault/ when run from source (tests), which uses the built copy.
 */
export function agentScript(): string {
  const candidates = ['./agent.js', '../agent.js', '../../dist/agent.js'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new LlmoError('cannot find the llmo agent (dist/agent.js)', { hint: 'rebuild llmo: npm run build' });
  return found;
}

function firstLine(stream: NodeJS.ReadableStream, child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => done('no answer within 10 s'), 10_000);
    const done = (line: string) => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
      resolve(line);
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) done(text.slice(0, newline));
    });
    child.once('exit', (code) => done(text.trim() || `exited with code ${code}`));
    child.once('error', (error) => done(error.message));
  });
}
