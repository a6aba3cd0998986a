/**
 * Batch progress on stderr: `batch ID  523/1000  12.3 lines/s  ETA 0:39  $0.0123`. On a terminal
 * the line is redrawn in place a few times a second; elsewhere a line is printed every few
 * seconds, so a log shows the run moving without drowning in it.
 */
import type { BatchProgress } from '../../batch/run-local-batch.js';
import { formatUsd } from '../../usage/pricing.js';

const TERMINAL_EVERY_MS = 200;
const LOG_EVERY_MS = 5000;

export function formatProgress(id: string, progress: BatchProgress, now = Date.now()): string {
  const done = progress.ok + progress.failed;
  const seconds = Math.max(0.001, (now - progress.startedAt) / 1000);
  const rate = progress.sent / seconds;
  const remaining = progress.total - done;
  const eta = rate > 0 ? formatDuration(remaining / rate) : '?';
  const failed = progress.failed ? `  ${progress.failed} failed` : '';
  return `batch ${id}  ${done}/${progress.total}${failed}  ${rate.toFixed(1)} lines/s  ETA ${eta}  ${formatUsd(progress.costUsd)}`;
}

export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

export function createBatchProgress(id: string, options: { quiet: boolean; stream?: NodeJS.WriteStream }) {
  const stream = options.stream ?? process.stderr;
  const live = Boolean(stream.isTTY);
  let last: BatchProgress | undefined;
  let shownAt = 0;
  const show = (progress: BatchProgress, force = false) => {
    const now = Date.now();
    if (!force && now - shownAt < (live ? TERMINAL_EVERY_MS : LOG_EVERY_MS)) return;
    shownAt = now;
    const text = formatProgress(id, progress, now);
    stream.write(live ? `\r\u001b[2K${text}` : `llmo: ${text}\n`);
  };
  return {
    update(progress: BatchProgress) {
      last = progress;
      if (!options.quiet) show(progress);
    },
    /** Ends the live line so what follows starts on its own. */
    stop() {
      if (!options.quiet && live && last) {
        show(last, true);
        stream.write('\n');
      }
    },
  };
}
