import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import type { HostedTool } from './tool-host.js';
import { matchesTool, parseToolSelectors, selectTools, serversOf } from './tool-patterns.js';

const tool = (name: string): HostedTool => ({
  name,
  server: name.slice(0, name.indexOf('.')),
  description: undefined,
  inputSchema: { type: 'object' },
});

describe('tool patterns', () => {
  it('matches a bare server name, globs on server.tool, and * for everything', () => {
    expect(matchesTool('fs', 'fs.read_file')).toBe(true);
    expect(matchesTool('fs', 'fsx.read_file')).toBe(false);
    expect(matchesTool('fs.read_*', 'fs.read_file')).toBe(true);
    expect(matchesTool('fs.read_*', 'fs.write_file')).toBe(false);
    expect(matchesTool('*', 'gh.create_issue')).toBe(true);
    expect(matchesTool('fs.read_fil?', 'fs.read_file')).toBe(true);
  });

  it('finds the servers a selection needs', () => {
    expect(serversOf(parseToolSelectors(['fs,gh', ' fs.read_* ', '']), ['fs', 'gh', 'web'])).toEqual(['fs', 'gh']);
    expect(serversOf(['*'], ['fs', 'gh'])).toEqual(['fs', 'gh']);
  });

  it('selects the named tools only, and refuses a selector that matches nothing', () => {
    const tools = [tool('fs.read_file'), tool('fs.write_file'), tool('gh.search')];
    expect(selectTools(tools, ['fs.read_*', 'gh']).map((item) => item.name)).toEqual(['fs.read_file', 'gh.search']);
    expect(() => selectTools(tools, ['fs.delete_*'])).toThrow(UsageError);
    expect(() => selectTools(tools, ['fs.delete_*'])).toThrow('--tools fs.delete_* matches no tool');
  });
});
