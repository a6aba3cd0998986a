import { Text } from 'ink';
import type { Usage } from '../../providers/spec.js';
import { formatUsd } from '../../usage/pricing.js';
import { formatElapsed, formatTokens } from '../format.js';
import type { Activity } from '../hooks/useExchange.js';
import { useNow } from '../hooks/useNow.js';
import type { Theme } from '../theme.js';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface StatusLineProps {
  model: string;
  /** The profile (`--profile`) and mode (`--mode`, `/mode`) in use, when there are. */
  profile?: string | undefined;
  mode?: string | undefined;
  activity: Activity | undefined;
  /** `steps`: the model calls of the last exchange (more than one when it used tools). */
  last: { usage: Usage | undefined; costUsd: number | undefined; steps?: number } | undefined;
  totals: { inputTokens: number; outputTokens: number; costUsd: number | undefined; unpricedReplies: number };
  raw: boolean;
  exitArmed: boolean;
  theme: Theme;
  /** Messages sent as a summary (context compression), when the conversation has one. */
  compressed?: number | undefined;
  /** Files /attach gathered for the next prompt. */
  attached?: number | undefined;
  /** Redraw interval for the spinner before the first token (default 100 ms). */
  tickMs?: number;
}

/** Once text flows the screen redraws anyway; the status line only needs a slow tick for stalls. */
const STREAMING_TICK_MS = 500;

/**
 * One line under the prompt: the model, tokens of the last reply and of the conversation, the
 * cost when the model is priced; while a reply is on its way, a spinner (until the first
 * token) and the elapsed time. It ticks on its own, so the rest of the screen need not.
 */
export function StatusLine({
  model,
  profile,
  mode,
  activity,
  last,
  totals,
  raw,
  exitArmed,
  theme,
  compressed,
  attached,
  tickMs = 100,
}: StatusLineProps) {
  useNow(activity ? (activity.firstTokenAt === undefined ? tickMs : STREAMING_TICK_MS) : undefined);
  // Read the clock on every render: redraws of the reply refresh the elapsed time for free.
  const now = Date.now();
  const parts: string[] = [];
  const steps = last?.steps ?? 1;
  // Before the counts: the counts are what a narrow terminal cuts off.
  if (attached) parts.push(`${attached} attached`);
  if (compressed) parts.push(`compressed (${compressed} msgs summarised)`);
  if (last?.usage)
    parts.push(
      `last ${steps > 1 ? `${steps} steps ` : ''}${formatTokens(last.usage.inputTokens)} in${last.usage.cachedInputTokens ? ` (${formatTokens(last.usage.cachedInputTokens)} cached)` : ''} / ${formatTokens(last.usage.outputTokens)} out${steps > 1 && last.costUsd !== undefined ? ` ${formatUsd(last.costUsd)}` : ''}`,
    );
  if (totals.inputTokens || totals.outputTokens)
    parts.push(`total ${formatTokens(totals.inputTokens)} in / ${formatTokens(totals.outputTokens)} out`);
  if (totals.costUsd !== undefined) parts.push(`${formatUsd(totals.costUsd)}${totals.unpricedReplies ? ' + unpriced' : ''}`);
  if (raw) parts.push('raw');
  // One Text, cut at the terminal's edge: a status line that wrapped would push the prompt up.
  // What the next key does comes before the counts, so the cut never takes it away; the one
  // question the user must answer comes first of all.
  return (
    <Text wrap="truncate-end">
      {exitArmed ? <Text {...theme.warning}>press Ctrl-C again to quit · </Text> : null}
      <Text {...theme.accent}>{model}</Text>
      {profile ? <Text dimColor>{` · profile ${profile}`}</Text> : null}
      {mode ? <Text dimColor>{` · mode ${mode}`}</Text> : null}
      {activity ? <ActivityText activity={activity} now={now} theme={theme} /> : null}
      {activity && !exitArmed ? <Text dimColor> · Ctrl-C stops</Text> : null}
      {parts.length ? <Text dimColor>{` · ${parts.join(' · ')}`}</Text> : null}
    </Text>
  );
}

function ActivityText({ activity, now, theme }: { activity: Activity; now: number; theme: Theme }) {
  const elapsed = formatElapsed(Math.max(0, now - activity.startedAt));
  if (activity.firstTokenAt === undefined) {
    const frame = SPINNER[Math.floor(Math.max(0, now - activity.startedAt) / 100) % SPINNER.length];
    return <Text {...theme.warning}>{` ${frame} ${activity.note ?? 'waiting'} ${elapsed}`}</Text>;
  }
  return <Text {...theme.success}>{` ● streaming${activity.steps ? ` (step ${activity.steps})` : ''} ${elapsed}`}</Text>;
}
