/**
 * The agent process (dist/agent.js), started detached by `llmo auth unlock`. Its parent sends,
 * on stdin, one JSON line of settings followed by the 32-byte data key — never through argv or
 * the environment, which other processes can read. It answers "ready" (or "error: …") on stdout
 * and then lives on its own until the key expires or `llmo auth lock`.
 *
 * Core dumps: node cannot call setrlimit, so the launcher runs us under `ulimit -c 0`. The key
 * is never written anywhere; it is wiped when the agent stops.
 */
import { AGENT_TITLE } from './agent-protocol.js';
import { startAgentServer } from './agent-server.js';
import { SecretBytes, zero } from './secret.js';
import { KEY_LENGTH } from './vault-format.js';

interface AgentSettings {
  socketPath: string;
  idleMs: number;
  maxMs: number;
  vault?: string;
}

process.title = AGENT_TITLE;
// Sockets and anything else we create: owner only, from the first byte.
process.umask(0o077);
// A same-user process could otherwise open the inspector on us with SIGUSR1.
process.on('SIGUSR1', () => {});

try {
  const { settings, key } = await readParentMessage();
  const server = await startAgentServer({ ...settings, dataKey: new SecretBytes(key) });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => server.stop(signal));
  process.stdout.end('ready\n');
  await server.stopped;
  process.exit(0);
} catch (error) {
  process.stdout.end(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

async function readParentMessage(): Promise<{ settings: AgentSettings; key: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  zero(...chunks);
  try {
    const newline = all.indexOf(0x0a);
    if (newline < 0 || all.length !== newline + 1 + KEY_LENGTH) throw new Error('malformed start message');
    const settings = JSON.parse(all.subarray(0, newline).toString('utf8')) as AgentSettings;
    if (typeof settings.socketPath !== 'string' || !(settings.idleMs > 0) || !(settings.maxMs > 0)) throw new Error('malformed settings');
    return { settings, key: Buffer.from(all.subarray(newline + 1)) };
  } finally {
    zero(all);
  }
}
