import { describe, expect, it, vi } from 'vitest';
import { ReplyStream, type ReplyFrame } from './reply-stream.js';

describe('ReplyStream', () => {
  it('draws at most one frame per interval however fast deltas come (≤ 20 fps)', () => {
    vi.useFakeTimers();
    try {
      const frames: ReplyFrame[] = [];
      const stream = new ReplyStream({ intervalMs: 50, onFrame: (frame) => frames.push(frame) });
      for (let tick = 0; tick < 1000; tick += 1) {
        stream.push('word ');
        vi.advanceTimersByTime(1); // 1000 deltas over one second
      }
      expect(frames.length).toBeLessThanOrEqual(20);
      expect(frames.length).toBeGreaterThanOrEqual(19);
      expect(stream.finish()).toBe('word '.repeat(1000));
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands completed markdown blocks over once and keeps the rest pending', () => {
    const frames: ReplyFrame[] = [];
    const stream = new ReplyStream({ onFrame: (frame) => frames.push(frame), setTimer: () => 1, clearTimer: () => {} });
    stream.push('First para.\n\nSecond');
    stream.flush();
    stream.push(' para.\n\n```\ncode\n\nstill code');
    stream.flush();
    expect(frames).toEqual([
      { committed: 'First para.\n\n', pending: 'Second' },
      { committed: 'Second para.\n\n', pending: '```\ncode\n\nstill code' },
    ]);
    expect(stream.finish()).toBe('```\ncode\n\nstill code');
  });

  it('commits nothing while it may not (markdown still loading)', () => {
    let allowed = false;
    const frames: ReplyFrame[] = [];
    const stream = new ReplyStream({
      onFrame: (frame) => frames.push(frame),
      canCommit: () => allowed,
      setTimer: () => 1,
      clearTimer: () => {},
    });
    stream.push('a\n\nb');
    stream.flush();
    allowed = true;
    stream.flush();
    expect(frames).toEqual([
      { committed: '', pending: 'a\n\nb' },
      { committed: 'a\n\n', pending: 'b' },
    ]);
  });

  it('commits the whole lines of a long paragraph as it grows, saying which commits go on with it', () => {
    const frames: ReplyFrame[] = [];
    // A stand-in for line-cut.ts: everything up to the last space can go.
    const cutLines = (paragraph: string) => (paragraph.length > 10 ? paragraph.lastIndexOf(' ') + 1 : 0);
    const stream = new ReplyStream({ onFrame: (frame) => frames.push(frame), cutLines, setTimer: () => 1, clearTimer: () => {} });
    stream.push('one two three four');
    stream.flush();
    stream.push(' five six seven eight');
    stream.flush();
    stream.push(' nine.\n\nNext');
    stream.flush();
    expect(frames).toEqual([
      { committed: 'one two three ', pending: 'four' },
      { committed: 'four five six seven ', continues: true, pending: 'eight' },
      { committed: 'eight nine.\n\n', continues: true, pending: 'Next' },
    ]);
    expect(stream.continues).toBe(false);
    stream.push(' and more words');
    stream.flush();
    expect(stream.continues).toBe(true);
    expect(stream.finish()).toBe('words');
    expect(stream.continues).toBe(false); // what streams next (after a tool call) starts afresh
  });
});
