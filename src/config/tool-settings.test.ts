import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './paths.js';
import { buildSettings } from './settings.js';
import { parseYaml } from './yaml-file.js';

const shipped = () => parseYaml('default.yaml', readFileSync(`${packageRoot()}/config/default.yaml`, 'utf8'));
const settingsWith = (...texts: string[]) =>
  buildSettings([shipped(), ...texts.map((text, index) => parseYaml(index === 0 ? '/home/me/config.yaml' : '/work/.llmo.yaml', text))]);

describe('mcp and tools settings', () => {
  it('come with documented defaults: no servers, ten steps, every tool asked for', () => {
    const settings = buildSettings([shipped()]);
    expect(settings.mcp.servers.size).toBe(0);
    expect(settings.tools).toEqual({ maxSteps: 10, policy: [{ pattern: '*', decision: 'ask' }], maxResultChars: 20000 });
  });

  it('read stdio and HTTP servers, remembering the file that defined each', () => {
    const settings = settingsWith(
      [
        'mcp:',
        '  servers:',
        '    fs: { command: npx, args: [-y, server-filesystem, ., 3], cwd: data, timeout_seconds: 30 }',
        '    gh: { command: github-mcp-server, env: { GITHUB_TOKEN: "vault:github" } }',
        '    docs: { url: "https://example.com/mcp", headers: { Authorization: "Bearer vault:docs" } }',
      ].join('\n'),
    );
    expect(settings.mcp.servers.get('fs')).toEqual({
      name: 'fs',
      file: '/home/me/config.yaml',
      definition: {
        transport: 'stdio',
        command: 'npx',
        args: ['-y', 'server-filesystem', '.', '3'],
        env: {},
        cwd: '/home/me/data',
        timeoutSeconds: 30,
      },
    });
    expect(settings.mcp.servers.get('gh')?.definition).toMatchObject({ env: { GITHUB_TOKEN: 'vault:github' }, timeoutSeconds: 60 });
    expect(settings.mcp.servers.get('docs')?.definition).toEqual({
      transport: 'http',
      url: 'https://example.com/mcp',
      headers: { Authorization: 'Bearer vault:docs' },
      timeoutSeconds: 60,
    });
  });

  it('let a project file replace a server whole, so it cannot inherit half of a trusted definition', () => {
    const settings = settingsWith(
      'mcp:\n  servers:\n    fs: { command: safe-server, env: { A: "1" } }\n',
      'mcp:\n  servers:\n    fs: { command: other-server }\n',
    );
    expect(settings.mcp.servers.get('fs')).toMatchObject({ file: '/work/.llmo.yaml', definition: { command: 'other-server', env: {} } });
  });

  it('add policy rules after the shipped ones, in file order', () => {
    const settings = settingsWith('tools:\n  max_steps: 4\n  policy:\n    "fs.read_*": allow\n    "fs.write_*": deny\n');
    expect(settings.tools.maxSteps).toBe(4);
    expect(settings.tools.policy.map((rule) => `${rule.pattern}=${rule.decision}`)).toEqual([
      '*=ask',
      'fs.read_*=allow',
      'fs.write_*=deny',
    ]);
  });

  it.each([
    ['mcp:\n  servers:\n    fs: { command: x, argz: [] }\n', 'config.yaml:3: mcp.servers.fs.argz: unknown setting; did you mean args?'],
    ['mcp:\n  server: {}\n', 'config.yaml:2: mcp.server: unknown setting; did you mean servers?'],
    ['mcp:\n  servers:\n    docs: { url: "ftp://x" }\n', 'mcp.servers.docs.url: must be an http:// or https:// URL'],
    ['mcp:\n  servers:\n    docs: { url: "https://x", command: y }\n', 'mcp.servers.docs: give either `command` or `url`, not both'],
    ['mcp:\n  servers:\n    docs: { url: "https://x", env: {} }\n', 'mcp.servers.docs.env: unknown setting; did you mean'],
    ['mcp:\n  servers:\n    fs: { args: [] }\n', 'mcp.servers.fs: needs `command` (a stdio server) or `url` (an HTTP server)'],
    ['mcp:\n  servers:\n    my.fs: { command: x }\n', 'a server name may hold only letters, digits, _ and -'],
    ['mcp:\n  servers:\n    fs: { command: x, env: { A: [1] } }\n', 'mcp.servers.fs.env.A: must be a string'],
    ['mcp:\n  servers:\n    fs: { command: x, timeout_seconds: 0 }\n', 'mcp.servers.fs.timeout_seconds: must be a number of seconds > 0'],
    ['tools:\n  policy:\n    "*": maybe\n', 'config.yaml:3: tools.policy.*: must be allow, ask or deny'],
    ['tools:\n  max_step: 3\n', 'config.yaml:2: tools.max_step: unknown setting; did you mean max_steps?'],
    ['tools:\n  max_steps: 0\n', 'tools.max_steps: must be a whole number ≥ 1'],
  ])('reject a mistake at any depth, naming file, line and field: %j', (text, message) => {
    expect(() => settingsWith(text)).toThrow(message);
  });
});
