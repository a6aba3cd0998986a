/**
 * The MCP host against the real reference servers: server-everything over stdio, streamable HTTP
 * and SSE, server-filesystem on a temporary folder, and a tiny SDK-built server that reports its
 * environment without printing it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { McpServerDefinition, StdioServerDefinition } from '../config/tool-settings.js';
import { ToolHostError } from '../orchestrator/tool-host.js';
import {
  echoEnvScript,
  everythingScript,
  filesystemScript,
  type HttpServer,
  processDetails,
  startEverythingHttp,
} from '../../test/helpers/mcp-servers.js';
import { makeHome, removeHome } from '../../test/helpers/run-llmo.js';
import { createMcpToolHost, type McpToolHost } from './index.js';

const stdio = (script: string, args: string[] = [], env: Record<string, string> = {}): StdioServerDefinition => ({
  transport: 'stdio',
  command: process.execPath,
  args: [script, ...args],
  env,
  cwd: undefined,
  timeoutSeconds: 30,
});
const http = (url: string, headers: Record<string, string> = {}): McpServerDefinition => ({
  transport: 'http',
  url,
  headers,
  timeoutSeconds: 30,
});

const SECRET = 'ghp_s3cr3t-value-for-the-test';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const hosts: McpToolHost[] = [];
function host(...args: Parameters<typeof createMcpToolHost>): McpToolHost {
  const created = createMcpToolHost(...args);
  hosts.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((open) => open.close()));
});

describe('server-everything over stdio', () => {
  it('lists tools named server.tool and calls them, starting one process for many calls', async () => {
    const everything = host({ everything: stdio(everythingScript) });
    expect(everything.servers()[0]).toMatchObject({ name: 'everything', state: 'idle', starts: 0 });
    const tools = await everything.listTools();
    const echo = tools.find((tool) => tool.name === 'everything.echo');
    expect(echo).toMatchObject({ server: 'everything', inputSchema: { type: 'object' } });
    expect(echo?.description).toMatch(/echo/i);

    const first = await everything.callTool('everything.echo', { message: 'hello' });
    expect(first).toMatchObject({ content: 'Echo: hello', isError: false });
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
    const sum = await everything.callTool('everything.get-sum', { a: 2, b: 3 });
    expect(sum.content).toContain('5');
    expect(everything.servers()[0]).toMatchObject({ state: 'running', transport: 'stdio', starts: 1 });
    expect(everything.servers()[0]?.serverName).toMatch(/everything/i);
  });

  it('describes an image instead of passing base64 to the model', async () => {
    const everything = host({ everything: stdio(everythingScript) });
    const image = await everything.callTool('everything.get-tiny-image', {});
    expect(image.content).toMatch(/\[image: image\/png, [\d.]+ (bytes|kB)\]/);
    expect(image.content).not.toMatch(/iVBOR/);
  });

  it('turns bad arguments and unknown tools into errors the model can read', async () => {
    const everything = host({ everything: stdio(everythingScript) });
    const invalid = await everything.callTool('everything.get-sum', { a: 'two' });
    expect(invalid.isError).toBe(true);
    const unknown = await everything.callTool('everything.no-such-tool', {});
    expect(unknown.isError).toBe(true);
    expect(unknown.content).toContain('no-such-tool');
    const noServer = await everything.callTool('elsewhere.echo', {});
    expect(noServer).toMatchObject({ isError: true, content: expect.stringContaining('the servers are everything') });
  });

  it('reports a server killed between calls and starts it again on the next call', async () => {
    const notices: string[] = [];
    let stopped!: () => void;
    const stoppedNotice = new Promise<void>((resolve) => (stopped = resolve));
    const everything = host(
      { everything: stdio(everythingScript) },
      {
        onNotice: (message) => {
          notices.push(message);
          if (message.includes('stopped')) stopped();
        },
      },
    );
    await everything.callTool('everything.echo', { message: 'one' });
    const firstPid = everything.servers()[0]!.pid!;
    process.kill(firstPid, 'SIGKILL');
    await stoppedNotice;
    expect(everything.servers()[0]).toMatchObject({ state: 'stopped', pid: undefined });

    const again = await everything.callTool('everything.echo', { message: 'two' });
    expect(again.content).toBe('Echo: two');
    expect(everything.servers()[0]).toMatchObject({ state: 'running', starts: 2 });
    expect(everything.servers()[0]?.pid).not.toBe(firstPid);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/^MCP server "everything" stopped \(the server process exited; its stderr ended with: .*\)$/);
    expect(notices[1]).toMatch(/^MCP server "everything" had stopped \(the server process exited.*\); starting it again$/);
  });

  it('throws a ToolHostError naming a server that dies during a call, and restarts it on the next', async () => {
    const env = host({ env: stdio(echoEnvScript, [], { SOME_TOKEN: 'vault:github' }) }, { resolveSecret: async () => SECRET });
    const failure = await env.callTool('env.crash', { name: 'SOME_TOKEN' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ToolHostError);
    expect((failure as ToolHostError).server).toBe('env');
    expect((failure as ToolHostError).exitCode).toBe(5);
    // The end of the server's stderr is quoted, with the secret it printed scrubbed out.
    expect((failure as Error).message).toMatch(/^MCP server "env" failed while calling env.crash: .*\[REDACTED\]/);
    expect((failure as Error).message).not.toContain(SECRET);

    const after = await env.callTool('env.env-hash', { name: 'SOME_TOKEN' });
    expect(after.content).toBe(sha256(SECRET));
    expect(env.servers()[0]?.starts).toBe(2);
  });

  it('names a server that cannot start, with what it said', async () => {
    const broken = host({ broken: { ...stdio(everythingScript), args: ['-e', 'console.error("no config here"); process.exit(2)'] } });
    const failure = await broken.listTools().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ToolHostError);
    expect((failure as Error).message).toMatch(/^MCP server "broken" could not be started: .*no config here/);

    const missing = host({ missing: { ...stdio(everythingScript), command: 'llmo-no-such-command' } });
    await expect(missing.listTools()).rejects.toThrow(/MCP server "missing" could not be started: .*ENOENT/);
  });
});

describe('secrets and the environment of a stdio server', () => {
  it('put a vault: secret in the server environment only, never in its argv or in results', async () => {
    const parent = {
      PATH: process.env.PATH ?? '',
      HOME: '/home/test',
      OPENAI_API_KEY: 'sk-parent',
      GITHUB_TOKEN: 'parent-token',
      MY_SECRET_THING: 'x',
      DB_PASSWORD: 'y',
      LLMO_SESSION: 'z',
      NODE_OPTIONS: '--inspect',
      KEEP_ME: 'kept',
    };
    const asked: string[] = [];
    const env = host(
      { env: stdio(echoEnvScript, [], { GH_AUTH: 'vault:github', PLAIN: 'visible', HEADER_LIKE: 'Bearer vault:github' }) },
      {
        env: parent,
        resolveSecret: async (name) => {
          asked.push(name);
          return SECRET;
        },
      },
    );
    expect(asked).toEqual([]); // nothing is resolved before the server starts
    const hash = await env.callTool('env.env-hash', { name: 'GH_AUTH' });
    expect(hash.content).toBe(sha256(SECRET));
    expect((await env.callTool('env.env-hash', { name: 'HEADER_LIKE' })).content).toBe(sha256(`Bearer ${SECRET}`));
    expect(asked).toEqual(['github', 'github']);

    const { argv, environment } = processDetails(env.servers()[0]!.pid!);
    expect(argv.join(' ')).not.toContain(SECRET);
    expect(argv).toEqual([process.execPath, echoEnvScript]);
    expect(environment).toMatchObject({ GH_AUTH: SECRET, PLAIN: 'visible', KEEP_ME: 'kept' });
    for (const removed of ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'MY_SECRET_THING', 'DB_PASSWORD', 'LLMO_SESSION', 'NODE_OPTIONS']) {
      expect(environment).not.toHaveProperty(removed);
    }
  });

  it('scrub a secret from a tool result that echoes it', async () => {
    const everything = host(
      { everything: stdio(everythingScript, [], { GH_AUTH: 'vault:github' }) },
      { resolveSecret: async () => SECRET },
    );
    const printed = await everything.callTool('everything.get-env', {});
    expect(printed.content).toContain('"GH_AUTH": "[REDACTED]"');
    expect(printed.content).not.toContain(SECRET);
  });

  it('refuse to start a server that needs the vault when no resolver was given', async () => {
    const env = host({ env: stdio(echoEnvScript, [], { GH_AUTH: 'vault:github' }) });
    await expect(env.listTools()).rejects.toThrow('MCP server "env" refers to vault:github, but no vault is available here');
  });
});

describe('HTTP transports', () => {
  let streamable: HttpServer;
  let sse: HttpServer;
  beforeAll(async () => {
    [streamable, sse] = await Promise.all([startEverythingHttp('streamableHttp'), startEverythingHttp('sse')]);
  });
  afterAll(async () => {
    await Promise.all([streamable?.stop(), sse?.stop()]);
  });

  it('list and call tools over streamable HTTP', async () => {
    const remote = host({ remote: http(streamable.url, { Authorization: 'Bearer vault:docs' }) }, { resolveSecret: async () => SECRET });
    const tools = await remote.listTools();
    expect(tools.map((tool) => tool.name)).toContain('remote.echo');
    expect((await remote.callTool('remote.echo', { message: 'over http' })).content).toBe('Echo: over http');
    expect(remote.servers()[0]).toMatchObject({ state: 'running', transport: 'streamable-http', starts: 1, pid: undefined });
  });

  it('fall back to SSE when the server refuses streamable HTTP', async () => {
    const old = host({ old: http(sse.url) });
    expect((await old.callTool('old.echo', { message: 'over sse' })).content).toBe('Echo: over sse');
    expect(old.servers()[0]?.transport).toBe('sse');
  });

  it('send a vault: secret in the header it names, and keep it out of the error when the server refuses', async () => {
    const seen: (string | undefined)[] = [];
    const refusing = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no MCP here for ${request.headers.authorization}`);
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as AddressInfo;
    try {
      const docs = host(
        { docs: http(`http://127.0.0.1:${port}/mcp`, { Authorization: 'Bearer vault:docs' }) },
        { resolveSecret: async () => SECRET },
      );
      const failure = await docs.listTools().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ToolHostError);
      expect((failure as Error).message).toMatch(/^MCP server "docs" could not be started: /);
      expect((failure as Error).message).not.toContain(SECRET);
      // Streamable HTTP first, then the SSE fallback: both carried the header.
      expect(seen.length).toBeGreaterThanOrEqual(2);
      for (const header of seen) expect(header).toBe(`Bearer ${SECRET}`);
    } finally {
      refusing.closeAllConnections();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it('name a server that is not there', async () => {
    const gone = host({ gone: http('http://127.0.0.1:9/mcp') });
    await expect(gone.listTools()).rejects.toThrow(/^MCP server "gone" could not be started: /);
  });
});

describe('server-filesystem on a temporary folder', () => {
  let folder: string;
  beforeAll(() => {
    folder = makeHome();
    mkdirSync(path.join(folder, 'allowed'));
    writeFileSync(path.join(folder, 'allowed', 'notes.txt'), 'first line\n');
    writeFileSync(path.join(folder, 'outside.txt'), 'not yours\n');
  });
  afterAll(() => removeHome(folder));

  it('reads and writes inside its folder and refuses outside it', async () => {
    const allowed = path.join(folder, 'allowed');
    const fs = host({ fs: stdio(filesystemScript, [allowed]) });
    const names = (await fs.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['fs.read_text_file', 'fs.write_file', 'fs.list_directory']));

    expect((await fs.callTool('fs.read_text_file', { path: path.join(allowed, 'notes.txt') })).content).toBe('first line\n');
    const written = await fs.callTool('fs.write_file', { path: path.join(allowed, 'new.txt'), content: 'made by a tool' });
    expect(written.isError).toBe(false);
    expect(readFileSync(path.join(allowed, 'new.txt'), 'utf8')).toBe('made by a tool');

    const refused = await fs.callTool('fs.read_text_file', { path: path.join(folder, 'outside.txt') });
    expect(refused.isError).toBe(true);
    expect(refused.content).toMatch(/denied|outside/i);
  });
});
