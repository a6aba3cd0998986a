import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHome, removeHome } from '../../../test/helpers/run-llmo.js';
import { loadConfig } from '../../config/load.js';
import type { McpServerDefinition } from '../../config/tool-settings.js';
import { approvalsFile, approve, assertTrusted, definitionHash, trustOf } from './approvals.js';

let home: string;
beforeEach(() => {
  home = makeHome();
});
afterEach(() => removeHome(home));

const configWith = (project: string) => {
  writeFileSync(path.join(home, '.llmo.yaml'), project);
  return loadConfig({ env: { LLMO_HOME: home, HOME: home }, cwd: home });
};

describe('approvals of project servers', () => {
  it('hash a definition whatever the order of its keys', () => {
    const a: McpServerDefinition = { transport: 'http', url: 'https://x/mcp', headers: { A: '1', B: '2' }, timeoutSeconds: 60 };
    const b: McpServerDefinition = { timeoutSeconds: 60, headers: { B: '2', A: '1' }, url: 'https://x/mcp', transport: 'http' };
    expect(definitionHash(a)).toBe(definitionHash(b));
    expect(definitionHash(a)).not.toBe(definitionHash({ ...a, url: 'https://y/mcp' }));
  });

  it('are needed once per definition and project file, and kept privately', async () => {
    let config = configWith('mcp:\n  servers:\n    fs: { command: server, args: [one] }\n');
    const entry = config.settings.mcp.servers.get('fs')!;
    expect(trustOf(config, entry)).toBe('not-approved');
    expect(() => assertTrusted(config, entry)).toThrow(
      /MCP server "fs" is defined by the project file .*\.llmo\.yaml and has not been approved/,
    );

    await approve(config, entry);
    expect(trustOf(config, entry)).toBe('approved');
    expect(() => assertTrusted(config, entry)).not.toThrow();
    const stored = JSON.parse(readFileSync(approvalsFile(config), 'utf8'));
    expect(stored).toEqual({ version: 1, projects: { [path.join(home, '.llmo.yaml')]: { fs: definitionHash(entry.definition) } } });
    expect(statSync(approvalsFile(config)).mode & 0o777).toBe(0o600);

    config = configWith('mcp:\n  servers:\n    fs: { command: server, args: [two] }\n');
    expect(trustOf(config, config.settings.mcp.servers.get('fs')!)).toBe('changed');
  });

  it('report a damaged approvals file as a configuration error', () => {
    const config = configWith('mcp:\n  servers:\n    fs: { command: server }\n');
    writeFileSync(approvalsFile(config), '{ not json');
    expect(() => trustOf(config, config.settings.mcp.servers.get('fs')!)).toThrow(/mcp-approvals\.json: not a valid approvals file/);
  });
});
