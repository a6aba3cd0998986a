import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipboardTools, createSystemClipboard, osc52, withoutLlmoVariables } from './clipboard.js';

describe('clipboard', () => {
  it('picks the tools the platform has', () => {
    expect(clipboardTools('darwin', {}).map((tool) => tool.command)).toEqual(['pbcopy']);
    expect(clipboardTools('linux', { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }).map((tool) => tool.command)).toEqual([
      'wl-copy',
      'xclip',
      'xsel',
    ]);
    expect(clipboardTools('linux', {})).toEqual([]);
    expect(clipboardTools('linux', { TMUX: '/tmp/tmux-0/default,1,0' }).map((tool) => `${tool.command} ${tool.args.join(' ')}`)).toEqual([
      'tmux load-buffer -w -',
    ]);
  });

  it("inside tmux, copies into tmux's paste buffer and says where it went", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'llmo-clip-'));
    try {
      writeFileSync(path.join(directory, 'tmux'), `#!/bin/sh\necho "$@" > "${directory}/args"; cat > "${directory}/copied"\n`, {
        mode: 0o755,
      });
      const env = { TMUX: '/tmp/tmux-0/default,1,0', PATH: `${directory}:/usr/bin:/bin` };
      const written: string[] = [];
      const clipboard = createSystemClipboard({ platform: 'linux', env, terminal: { write: (data: string) => written.push(data) } });
      expect(await clipboard.copy('the reply')).toEqual({ copied: true, method: "tmux's paste buffer (prefix ] pastes it)" });
      expect(readFileSync(path.join(directory, 'copied'), 'utf8')).toBe('the reply');
      expect(readFileSync(path.join(directory, 'args'), 'utf8')).toBe('load-buffer -w -\n');
      expect(written).toEqual([]); // no OSC 52 on top
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('never hands LLMO_* variables to a child process', () => {
    expect(withoutLlmoVariables({ LLMO_SESSION: 'secret', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });

  it('encodes OSC 52, wrapped for tmux', () => {
    expect(osc52('hi', {})).toBe('\u001b]52;c;aGk=\u0007');
    expect(osc52('hi', { TMUX: '/tmp/tmux' })).toBe('\u001bPtmux;\u001b\u001b]52;c;aGk=\u0007\u001b\\');
  });

  it('falls back to OSC 52 on a terminal, and says there is no clipboard otherwise', async () => {
    const written: string[] = [];
    const terminal = createSystemClipboard({ platform: 'linux', env: {}, terminal: { write: (data: string) => written.push(data) } });
    expect(await terminal.copy('text')).toEqual({ copied: true, method: 'the terminal (OSC 52)', uncertain: true });
    expect(written).toEqual([osc52('text', {})]);
    const none = createSystemClipboard({ platform: 'linux', env: {}, terminal: undefined });
    expect(await none.copy('text')).toMatchObject({ copied: false, reason: expect.stringMatching(/no clipboard here/) });
  });

  it('uses the first tool that works, without LLMO_* in its environment', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'llmo-clip-'));
    try {
      // xclip is "missing" (exits 127); xsel records its input and environment.
      writeFileSync(path.join(directory, 'xclip'), '#!/bin/sh\nexit 127\n', { mode: 0o755 });
      writeFileSync(path.join(directory, 'xsel'), `#!/bin/sh\ncat > "${directory}/copied"; env > "${directory}/env"\n`, { mode: 0o755 });
      const env = { DISPLAY: ':0', PATH: `${directory}:/usr/bin:/bin`, LLMO_SESSION: 'secret-session' };
      const clipboard = createSystemClipboard({ platform: 'linux', env, terminal: undefined });
      expect(await clipboard.copy('the reply')).toEqual({ copied: true, method: 'xsel' });
      expect(readFileSync(path.join(directory, 'copied'), 'utf8')).toBe('the reply');
      expect(readFileSync(path.join(directory, 'env'), 'utf8')).not.toContain('secret-session');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
