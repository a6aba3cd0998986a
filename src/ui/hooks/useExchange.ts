import { useCallback, useRef, useState } from 'react';
import type { ConfirmToolCall } from '../../orchestrator/run-tool-loop.js';
import { toolItem, type NewHistoryItem } from '../history.js';
import { forkNotice, type ExchangeHandlers, type ExchangeOutcome } from '../session/chat-session.js';
import { describeError } from '../session/describe-error.js';
import { ReplyStream } from '../session/reply-stream.js';

/** What the status line shows while a reply is on its way. */
export interface Activity {
  startedAt: number;
  /** Undefined until the first token: the spinner shows until then. */
  firstTokenAt: number | undefined;
  label: string;
  /** "thinking", or a retry notice. */
  note: string | undefined;
  /** The tool loop's step (model call) now running, from the second on. */
  steps?: number;
}

export interface PendingReply {
  text: string;
  /** The model label, while no part of this reply is in the scrollback yet. */
  label: string | undefined;
}

export interface Exchange {
  activity: Activity | undefined;
  pending: PendingReply | undefined;
  /**
   * Runs one exchange, streaming into `pending` and the history; resolves when it is over.
   * Resolves undefined at once, starting nothing, while another exchange runs.
   */
  run: (
    label: string,
    start: (handlers: ExchangeHandlers, signal: AbortSignal) => Promise<ExchangeOutcome | undefined>,
  ) => Promise<ExchangeOutcome | undefined>;
  /**
   * Whether an exchange runs now. Unlike `activity`, which is state and reaches handlers only
   * after React re-renders, this is exact even for a key read a moment after Enter.
   */
  isRunning: () => boolean;
  /** Ctrl-C: stop the reply; what arrived is kept. */
  stop: () => void;
  /** The chat is quitting: stop the reply, and start no other (a command may still be on its way to one). */
  close: () => void;
  /** Resolves when no exchange is running (its last items added to the history). */
  settled: () => Promise<void>;
}

export interface ExchangeOptions {
  addItems: (...items: NewHistoryItem[]) => void;
  /** Whether completed text may go to the scrollback yet (markdown loaded, or raw mode). */
  canCommit: () => boolean;
  /** Waits until it can. */
  whenCommittable: () => Promise<void>;
  /** Where a long unfinished paragraph can be committed up to (its whole lines, line-cut.ts), or 0. */
  cutLines?: (paragraph: string) => number;
  /** Asks before an `ask`-policy tool runs (the chat's picker). */
  confirm?: ConfirmToolCall;
  frameIntervalMs?: number;
}

export function useExchange(options: ExchangeOptions): Exchange {
  const [activity, setActivity] = useState<Activity | undefined>(undefined);
  const [pending, setPending] = useState<PendingReply | undefined>(undefined);
  const controller = useRef<AbortController | undefined>(undefined);
  const running = useRef<Promise<unknown> | undefined>(undefined);
  const closed = useRef(false);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const runExchange: Exchange['run'] = useCallback(async (modelLabel, start) => {
    const { addItems, canCommit, whenCommittable, frameIntervalMs, confirm, cutLines } = optionsRef.current;
    // The model the reply is shown under: a fallback model that answers instead takes its place.
    let label = modelLabel;
    const abort = new AbortController();
    controller.current = abort;
    setActivity({ startedAt: Date.now(), firstTokenAt: undefined, label, note: undefined });
    let parts = 0;
    /** One more part of this reply for the scrollback; the first carries the label. */
    const replyItem = (text: string, continued: boolean): NewHistoryItem => ({
      type: 'reply',
      text,
      ...(parts++ === 0 ? { label } : {}),
      ...(continued ? { continued } : {}),
    });
    const stream = new ReplyStream({
      intervalMs: frameIntervalMs ?? 50,
      canCommit,
      ...(cutLines ? { cutLines } : {}),
      onFrame: ({ committed, continues, pending: rest }) => {
        if (committed !== '') addItems(replyItem(committed.replace(/\s+$/, ''), continues === true));
        setPending({ text: rest, label: parts === 0 ? label : undefined });
      },
    });
    let started = false;
    const markStarted = (note?: string) => {
      if (started) return;
      started = true;
      setActivity((current) => current && { ...current, firstTokenAt: Date.now(), note });
    };
    const work = start(
      {
        onText: (delta) => {
          markStarted();
          stream.push(delta);
        },
        onReasoning: () => {
          if (!started) setActivity((current) => current && { ...current, note: 'thinking' });
        },
        // The notice (the vendor's message, the wait) is too long for the status line, which
        // would cut off the part that says a retry is coming: it goes above, in full.
        onRetry: (notice, { attempt, retries }) => {
          addItems({ type: 'info', text: notice });
          setActivity((current) => current && { ...current, note: `retrying (${attempt} of ${retries})` });
        },
        onWarning: (message) => addItems({ type: 'info', text: `warning: ${message}` }),
        onModel: (model) => {
          label = model;
          setActivity((current) => current && { ...current, label: model });
        },
        onInfo: (text) => addItems({ type: 'info', text }),
        onStage: (note) => setActivity((current) => current && { ...current, note }),
        ...(confirm ? { confirm } : {}),
        onToolEvent: (event) => {
          switch (event.type) {
            case 'tool-call': {
              // What the model said before calling goes above the call, where it was said.
              const continued = stream.continues;
              const said = stream.finish().replace(/\s+$/, '');
              if (said !== '') addItems(replyItem(said, continued));
              setPending(undefined);
              setActivity((current) => current && { ...current, note: `calling ${event.call.name}` });
              break;
            }
            case 'tool-result':
              addItems(toolItem({ ...event.record, name: event.record.call.name, arguments: event.record.call.arguments }));
              break;
            case 'step-start':
              if (event.step === 1) break;
              started = false;
              setActivity((current) => current && { ...current, firstTokenAt: undefined, note: `step ${event.step}`, steps: event.step });
              break;
            case 'step-end':
              break;
          }
        },
      },
      abort.signal,
    );
    let outcome: ExchangeOutcome | undefined;
    try {
      outcome = await work;
    } catch (error) {
      outcome = { status: 'error', result: undefined, error, kept: false };
    }
    if (!canCommit()) await whenCommittable();
    const continued = stream.continues;
    const rest = stream.finish().replace(/\s+$/, '');
    setPending(undefined);
    const items: NewHistoryItem[] = [];
    if (outcome?.kept && (rest !== '' || parts === 0)) items.push(replyItem(rest, continued));
    if (outcome) items.push(...outcomeItems(outcome));
    addItems(...items);
    controller.current = undefined;
    setActivity(undefined);
    return outcome;
  }, []);

  const run: Exchange['run'] = useCallback(
    (label, start) => {
      // Two exchanges at once would each append to the conversation they started from, and the
      // one finishing last would drop the other from it.
      if (running.current || closed.current) return Promise.resolve(undefined);
      const done = runExchange(label, start).finally(() => {
        running.current = undefined;
      });
      running.current = done;
      return done;
    },
    [runExchange],
  );

  const isRunning = useCallback(() => running.current !== undefined, []);
  const stop = useCallback(() => controller.current?.abort(), []);
  const close = useCallback(() => {
    closed.current = true;
    controller.current?.abort();
  }, []);
  const settled = useCallback(
    () =>
      (running.current ?? Promise.resolve()).then(
        () => {},
        () => {},
      ),
    [],
  );
  return { activity, pending, run, isRunning, stop, close, settled };
}

/** The notices after a reply: interrupted, failed, not saved. */
export function outcomeItems(outcome: ExchangeOutcome): NewHistoryItem[] {
  const items: NewHistoryItem[] = [];
  if (outcome.status === 'aborted') {
    items.push({
      type: 'notice',
      text: outcome.kept ? 'interrupted: the partial reply above is kept' : 'stopped before any reply arrived',
    });
  } else if (outcome.status === 'error') {
    const { text, hint } = describeError(outcome.error);
    items.push({ type: 'error', text: outcome.kept ? `${text} (the reply above is incomplete)` : text, ...(hint ? { hint } : {}) });
  }
  const forked = forkNotice(outcome.saved);
  if (outcome.saveError) {
    items.push({
      type: 'error',
      text: `could not save the conversation: ${outcome.saveError.message}`,
      hint: 'it stays in memory: /save tries again, /save PATH.json saves it elsewhere',
    });
  } else if (forked) {
    items.push({ type: 'info', text: forked });
  }
  return items;
}
