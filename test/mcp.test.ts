/**
 * `llmo mcp …` end to end: the built CLI against the real reference servers (stdio and streamable
 * HTTP), a project's servers held back until approved, and a vault: secret that reaches its
 * server and nothing else.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoEnvScript, everythingScript, type HttpServer, startEverythingHttp } from './helpers/mcp-servers.js';
import { makeHome, removeHome } from './helpers/run-llmo.js';
import { addKey, expectOk, filesContaining, initVault, llmo } from './helpers/vault-home.js';

const node = JSON.stringify(process.execPath);
const SECRET = 'ghp_e2e-secret-never-shown-0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let home: string;
let project: string;
let passwordFile: string;
let http: HttpServer;

beforeAll(async () => {
  home = makeHome();
  project = path.join(home, 'project');
  mkdirSync(project);
  http = await startEverythingHttp('streamableHttp');
  writeFileSync(
    path.join(home, 'config.yaml'),
    [
      'mcp:',
      '  servers:',
      `    everything: { command: ${node}, args: [${JSON.stringify(everythingScript)}] }`,
      `    env: { command: ${node}, args: [${JSON.stringify(echoEnvScript)}], env: { GH_AUTH: "vault:github", PLAIN: visible } }`,
      `    remote: { url: ${JSON.stringify(http.url)}, timeout_seconds: 20 }`,
      `    broken: { command: ${node}, args: ["-e", "console.error('cannot start'); process.exit(1)"] }`,
    ].join('\n'),
  );
  passwordFile = await initVault(home);
  // Any name, not only a provider's: this is the secret vault:github refers to.
  await addKey(home, 'github', SECRET, passwordFile);
});
afterAll(async () => {
  await http?.stop();
  removeHome(home);
});

const run = (args: string[], env: Record<string, string> = {}) =>
  llmo(home, args, { cwd: project, env: { LLMO_PASSWORD_FILE: passwordFile, ...env } });

describe('llmo mcp', () => {
  it('list shows every server without starting any, secrets as the references they are', async () => {
    const { stdout } = await expectOk(run(['mcp', 'list']));
    expect(stdout).toMatch(/^everything\t.*server-everything\/dist\/index\.js\t.*config\.yaml$/m);
    expect(stdout).toMatch(/^env\t.*\(env: GH_AUTH=vault:github PLAIN=visible\)/m);
    expect(stdout).toMatch(new RegExp(`^remote\\t${http.url.replace(/[.]/g, '\\.')}\\t`, 'm'));
    expect(stdout).not.toContain(SECRET);
    const json = JSON.parse((await expectOk(run(['mcp', 'list', '--json']))).stdout) as { name: string; trust: string }[];
    expect(json.map((server) => `${server.name}:${server.trust}`)).toEqual(['everything:user', 'env:user', 'remote:user', 'broken:user']);
  });

  it('tools lists a server’s tools over stdio and over streamable HTTP', async () => {
    const stdio = await expectOk(run(['mcp', 'tools', 'everything']));
    expect(stdio.stdout).toMatch(/^everything\.echo\t.+/m);
    const remote = await expectOk(run(['mcp', 'tools', 'remote']));
    expect(remote.stdout).toMatch(/^remote\.get-sum\t/m);
    const json = JSON.parse((await expectOk(run(['mcp', 'tools', 'everything', '--json']))).stdout) as {
      name: string;
      input_schema: unknown;
    }[];
    expect(json.find((tool) => tool.name === 'everything.echo')?.input_schema).toMatchObject({ type: 'object' });
  });

  it('call prints a tool’s result; bad arguments are a usage error, a tool’s error exits 5', async () => {
    expect((await expectOk(run(['mcp', 'call', 'everything', 'echo', '--args', '{"message":"hi there"}']))).stdout).toBe(
      'Echo: hi there\n',
    );
    expect((await expectOk(run(['mcp', 'call', 'remote', 'get-sum', '--args', '{"a":2,"b":40}']))).stdout).toContain('42');

    const badJson = await run(['mcp', 'call', 'everything', 'echo', '--args', '{message']);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--args is not valid JSON');
    const unknownServer = await run(['mcp', 'call', 'everythin', 'echo']);
    expect(unknownServer.code).toBe(2);
    expect(unknownServer.stderr).toContain('no MCP server named "everythin"; did you mean everything?');

    const toolError = await run(['mcp', 'call', 'everything', 'get-sum', '--args', '{"a":"x"}']);
    expect(toolError.code).toBe(5);
    expect(toolError.stderr).toContain('everything.get-sum reported an error');
  });

  it('test reports each server, and a partial failure when one will not start', async () => {
    const one = await expectOk(run(['mcp', 'test', 'everything']));
    expect(one.stdout).toMatch(/^✓ everything\tstdio\t.*everything.*\t\d+ tools\t\d+ ms$/m);
    const all = await run(['mcp', 'test']);
    expect(all.code).toBe(10);
    expect(all.stdout).toMatch(/^✓ remote\tstreamable-http\t/m);
    expect(all.stdout).toMatch(/^✗ broken\tMCP server "broken" could not be started: .*cannot start/m);
    const broken = await run(['mcp', 'test', 'broken']);
    expect(broken.code).toBe(5);
    expect(broken.stderr).toContain('MCP server "broken" could not be started');
  });
});

describe('a vault: secret', () => {
  it('reaches its server’s environment and no argv, output, log or file but the vault', async () => {
    const hash = await expectOk(run(['mcp', 'call', 'env', 'env-hash', '--args', '{"name":"GH_AUTH"}']));
    expect(hash.stdout.trim()).toBe(sha256(SECRET));
    // Counted by the server while llmo and the server both run.
    const shown = await expectOk(run(['mcp', 'call', 'env', 'cmdline-count', '--args', '{"name":"GH_AUTH"}']));
    expect(shown.stdout.trim()).toBe('0');

    const crash = await run(['mcp', 'call', 'env', 'crash', '--args', '{"name":"GH_AUTH"}']);
    expect(crash.code).toBe(5);
    expect(crash.stderr).toMatch(/MCP server "env" failed while calling env\.crash: .*\[REDACTED\]/);
    for (const output of [hash, shown, crash]) expect(output.stdout + output.stderr).not.toContain(SECRET);
    expect(filesContaining(home, [SECRET])).toEqual([]);
  });

  it('is not inherited from the parent environment by any server, nor are other credentials', async () => {
    const names = await expectOk(
      run(['mcp', 'call', 'env', 'env-names'], {
        OPENAI_API_KEY: 'sk-x',
        GITHUB_TOKEN: 'x',
        MY_SECRET: 'x',
        DB_PASSWORD: 'x',
        KEEP_ME: 'x',
      }),
    );
    const variables = names.stdout.trim().split('\n');
    expect(variables).toEqual(expect.arrayContaining(['GH_AUTH', 'PLAIN', 'KEEP_ME']));
    for (const removed of ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'MY_SECRET', 'DB_PASSWORD', 'LLMO_HOME', 'LLMO_PASSWORD_FILE']) {
      expect(variables).not.toContain(removed);
    }
  });

  it('that is missing from the vault is an authentication error naming how to store it', async () => {
    writeFileSync(
      path.join(project, '.llmo.yaml'),
      `mcp:\n  servers:\n    nosecret: { command: ${node}, args: [${JSON.stringify(echoEnvScript)}], env: { X: "vault:absent" } }\n`,
    );
    try {
      await expectOk(run(['mcp', 'approve', 'nosecret']));
      const result = await run(['mcp', 'tools', 'nosecret']);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('vault:absent: the vault holds no secret named "absent"');
      expect(result.stderr).toContain('llmo auth add absent');
    } finally {
      writeFileSync(path.join(project, '.llmo.yaml'), '');
    }
  });
});

describe("a project's servers", () => {
  const projectServer = (message: string) =>
    `mcp:\n  servers:\n    proj: { command: ${node}, args: [${JSON.stringify(everythingScript)}, stdio], env: { NOTE: ${JSON.stringify(message)} } }\n`;

  it('start only once approved, and again only after a changed definition is approved again', async () => {
    writeFileSync(path.join(project, '.llmo.yaml'), projectServer('first'));
    try {
      const listed = await expectOk(run(['mcp', 'list']));
      expect(listed.stdout).toMatch(/^proj\t.*\.llmo\.yaml\tproject, NOT APPROVED/m);
      const refused = await run(['mcp', 'tools', 'proj']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        `MCP server "proj" is defined by the project file ${path.join(project, '.llmo.yaml')} and has not been approved`,
      );
      expect(refused.stderr).toContain('llmo mcp approve proj');

      const approved = await expectOk(run(['mcp', 'approve', 'proj']));
      expect(approved.stdout).toContain('approved "proj"');
      expect((await expectOk(run(['mcp', 'tools', 'proj']))).stdout).toContain('proj.echo');
      const approvals = JSON.parse(readFileSync(path.join(home, 'mcp-approvals.json'), 'utf8'));
      expect(approvals.projects[path.join(project, '.llmo.yaml')].proj).toMatch(/^sha256:[0-9a-f]{64}$/);

      writeFileSync(path.join(project, '.llmo.yaml'), projectServer('second'));
      const changed = await run(['mcp', 'call', 'proj', 'echo', '--args', '{"message":"x"}']);
      expect(changed.code).toBe(3);
      expect(changed.stderr).toContain('has changed since it was approved');
      expect((await expectOk(run(['mcp', 'list']))).stdout).toMatch(/^proj\t.*CHANGED since approved/m);

      // The user's own servers never need approval.
      expect((await expectOk(run(['mcp', 'approve', 'everything']))).stderr).toContain('needs no approval');
    } finally {
      writeFileSync(path.join(project, '.llmo.yaml'), '');
    }
  });
});
