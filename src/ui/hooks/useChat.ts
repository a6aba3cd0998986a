import { useApp, useStdout } from 'ink';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { lastReply, totalUsage, type Conversation } from '../../conversations/index.js';
import type { Usage } from '../../providers/spec.js';
import { errorResult } from '../commands/command-error.js';
import { completeLine, findCommand, isCommandLine, parseCommandLine, type Completion } from '../commands/parse-command.js';
import {
  failure,
  info,
  type CommandContext,
  type CommandResult,
  type PickItem,
  type RequestParameters,
  type SlashCommand,
} from '../commands/types.js';
import { excerpt, type ConfirmToolCall } from '../../orchestrator/run-tool-loop.js';
import type { ApprovalChoice } from '../../orchestrator/tool-policy.js';
import { useServices } from '../contexts/ServicesContext.js';
import { itemsForConversation, welcomeItem, type NewHistoryItem } from '../history.js';
import { ChatSession, type ActiveModel } from '../session/chat-session.js';
import { applyCommandResult } from '../commands/apply-command-result.js';
import { compressNow, sendEdit, sendPrompt } from './chat-actions.js';
import { useExchange, type Exchange } from './useExchange.js';
import { useHistory, type History } from './useHistory.js';
import { useMarkdownRenderer, type MarkdownState } from './useMarkdownRenderer.js';
import { findLineCut, type Layout } from '../markdown/line-cut.js';
import { layoutReply } from '../markdown/wrap-blocks.js';
import type { ChatInput } from '../session/session-types.js';

export interface ChatStart {
  conversation: Conversation;
  model: ActiveModel;
  /** Shown under the welcome line: "no key for …", "nothing to continue". */
  notices?: NewHistoryItem[];
  /** Request settings a template or mode chose (/set changes them later). */
  parameters?: RequestParameters | undefined;
  /** The mode the chat starts in (`--mode`). */
  mode?: string | undefined;
  /** The profile in use (`--profile`), shown on the status line; undefined for the default one. */
  profile?: string | undefined;
  /** `chat -a` / `-f`: waiting for the first message, as /attach leaves them. */
  inputs?: ChatInput[] | undefined;
}

export interface Picker {
  title: string;
  items: PickItem[];
  pick: (value: string) => Promise<CommandResult> | CommandResult;
  /** Escape (or Ctrl-C) closed it without a choice. */
  cancel?: () => void;
}

export interface Chat {
  session: ChatSession;
  history: History;
  exchange: Exchange;
  markdown: MarkdownState;
  raw: boolean;
  /** The mode in use (`--mode`, `/mode`), undefined for none. */
  mode: string | undefined;
  /** Whether completed text can be printed yet (markdown loaded, or raw). */
  ready: boolean;
  picker: Picker | undefined;
  /** Ctrl-C was pressed on an empty prompt; another press quits. */
  exitArmed: boolean;
  /** The chat is quitting: the last frame is being drawn. */
  ending: boolean;
  busy: boolean;
  /**
   * Whether a prompt or command is being handled now. Exact at any moment, unlike `busy`
   * (state, which key handlers see only after the next render).
   */
  isBusy: () => boolean;
  /** Tokens and cost of the latest reply (every step of it, with tools), for the status line. */
  last: { usage: Usage | undefined; costUsd: number | undefined; steps: number } | undefined;
  totals: ReturnType<typeof totalUsage>;
  /** Sends a message or runs a command; returns a prompt to put back in the editor (its call failed). */
  submit: (text: string) => Promise<string | undefined>;
  complete: (text: string) => Promise<Completion>;
  choose: (value: string | undefined) => void;
  /** Ctrl-C with an empty prompt. */
  interrupt: () => void;
  quit: () => void;
}

const CLEAR_SCREEN = '\u001b[2J\u001b[3J\u001b[H';
const EXIT_WINDOW_MS = 3000;

const welcome = (session: ChatSession, resumed: boolean) => welcomeItem(session.model.label, session.conversation, resumed);

export function useChat(start: ChatStart, commands: readonly SlashCommand[]): Chat {
  const services = useServices();
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [session] = useState(() => {
    const created = new ChatSession(services, start);
    if (start.inputs) created.inputs.add(start.inputs);
    return created;
  });
  const [, refresh] = useReducer((count: number) => count + 1, 0);
  const [raw, setRaw] = useState(!services.settings.chat.markdown);
  /** The mode (`--mode`, `/mode`) whose presets are in use, for the status line. */
  const [mode, setMode] = useState(start.mode);
  const [picker, setPicker] = useState<Picker | undefined>(undefined);
  const [exitArmed, setExitArmed] = useState(false);
  const [ending, setEnding] = useState(false);
  const handling = useRef(false);
  const markdown = useMarkdownRenderer(services.loadMarkdown);
  const ready = raw || markdown.render !== undefined || markdown.error !== undefined;
  const readyRef = useRef(ready);
  readyRef.current = ready;
  const history = useHistory(() => [
    welcome(session, start.conversation.messages.length > 0),
    ...itemsForConversation(start.conversation),
    ...(start.notices ?? []),
  ]);
  // An `ask`-policy tool waits for an answer in the picker; Escape is a no.
  const confirm: ConfirmToolCall = ({ call }) =>
    new Promise<ApprovalChoice>((resolve) => {
      setPicker({
        title: `run ${call.name} ${excerpt(JSON.stringify(call.arguments), 120)}?`,
        items: APPROVALS,
        pick: async (value) => {
          const choice = value as ApprovalChoice;
          resolve(choice);
          if (choice !== 'always' || !services.tools) return info(approvalNote(call.name, choice));
          try {
            const file = await services.tools.saveRule(call.name);
            return info(`${approvalNote(call.name, choice)} (saved in ${file})`);
          } catch (error) {
            return failure(`could not save the rule: ${(error as Error).message}`, `${call.name} is allowed for this session`);
          }
        },
        cancel: () => resolve('deny'),
      });
    });
  // A long paragraph goes to the scrollback line by line as it streams, laid out as it will show.
  const layoutRef = useRef<Layout>(() => '');
  layoutRef.current = (text) => layoutReply(text, raw ? undefined : markdown.render, replyWidth(stdout.columns)).join('\n');
  const exchange = useExchange({
    addItems: history.add,
    canCommit: () => readyRef.current,
    whenCommittable: () => markdown.ready,
    cutLines: (paragraph) => findLineCut(paragraph, layoutRef.current),
    confirm,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: history.add is stable (useCallback with no dependencies)
  useEffect(() => {
    if (markdown.error)
      history.add({ type: 'error', text: `markdown rendering is unavailable (${markdown.error.message}); showing raw text` });
  }, [markdown.error]);

  useEffect(() => {
    if (!exitArmed) return;
    const timer = setTimeout(() => setExitArmed(false), EXIT_WINDOW_MS);
    return () => clearTimeout(timer);
  }, [exitArmed]);

  const context = (): CommandContext => ({
    catalog: services.catalog,
    store: services.store,
    resolveModel: services.resolveModel,
    clipboard: services.clipboard,
    session: {
      conversation: session.conversation,
      model: session.model.label,
      provider: session.model.provider,
      raw,
      retryPrompt: session.retryPrompt(),
      replaced: session.replacedReplies,
      tools: session.hasTools ? { on: session.toolsOn, list: () => session.listTools() } : undefined,
      parameters: session.parameters,
      turns: session.turns,
      lastPrompt: session.lastPrompt(),
      mode,
    },
    inputs: services.inputs,
    modes: services.settings.modes,
    commands,
    width: replyWidth(stdout.columns),
  });

  // Leave only once the last state (the command just run, the end of a stopped reply) has been
  // drawn: Ink's exit() unmounts at once, and would leave the previous frame on the screen.
  const quit = useCallback(() => {
    exchange.close();
    void exchange.settled().then(() => setEnding(true));
  }, [exchange.close, exchange.settled]);
  useEffect(() => {
    if (ending) exit();
  }, [ending, exit]);

  /** Redraws the scrollback from scratch: the screen is cleared and <Static> starts again. */
  const redraw = (items: NewHistoryItem[]) => {
    stdout.write(CLEAR_SCREEN);
    history.reset(items);
  };

  const runRetry = async (): Promise<void> => {
    const prompt = session.retryPrompt();
    if (prompt === undefined) return;
    history.add({ type: 'info', text: `retrying with ${session.model.label}` }, { type: 'user', text: prompt });
    await exchange.run(session.model.label, (handlers, signal) => session.retry(handlers, signal));
    refresh();
  };

  const actions = { session, history, exchange, inputs: services.inputs };
  const runEdit = (prompt: string) => sendEdit(actions, prompt).then(refresh);
  const runCompress = () => compressNow(actions).then(refresh);

  // Text a command puts in the editor (/edit alone): handed back by submit.
  const fill = useRef<string | undefined>(undefined);

  const apply = async (result: CommandResult): Promise<void> => {
    await applyCommandResult(result, {
      edit: runEdit,
      compress: runCompress,
      fillInput: (text) => {
        fill.current = text;
      },
      session,
      resolveModel: services.resolveModel,
      addItems: history.add,
      redraw,
      setRaw,
      setMode,
      openPicker: setPicker,
      retry: runRetry,
      quit,
    });
    refresh();
  };

  const runCommand = async (line: string): Promise<void> => {
    history.add({ type: 'command', text: line });
    const { name, args } = parseCommandLine(line);
    const command = findCommand(commands, name);
    if (!command) {
      history.add({
        type: 'error',
        text: `unknown command /${name}`,
        hint: '/help lists them; start with // to send a message beginning with /',
      });
      return;
    }
    let result: CommandResult;
    try {
      result = await command.action(context(), args);
    } catch (error) {
      result = errorResult(error);
    }
    await apply(result);
  };

  const isBusy = () => handling.current || exchange.isRunning();

  const submit = async (text: string): Promise<string | undefined> => {
    if (isBusy() || ending || text.trim() === '') return undefined;
    handling.current = true;
    try {
      if (isCommandLine(text)) {
        fill.current = undefined;
        await runCommand(text.trim());
        return fill.current;
      }
      const restore = await sendPrompt(actions, text.startsWith('//') ? text.slice(1) : text);
      refresh();
      return restore;
    } finally {
      handling.current = false;
    }
  };

  const choose = (value: string | undefined) => {
    const current = picker;
    setPicker(undefined);
    if (current && value === undefined) current.cancel?.();
    if (!current || value === undefined) return;
    void Promise.resolve()
      .then(() => current.pick(value))
      .catch(errorResult)
      .then(apply);
  };

  const interrupt = () => {
    if (exitArmed) quit();
    else setExitArmed(true);
  };

  return {
    session,
    history,
    exchange,
    markdown,
    raw,
    mode,
    ready,
    picker,
    exitArmed,
    ending,
    busy: exchange.activity !== undefined,
    isBusy,
    // Derived from the conversation, so /clear and /load show the right figures at once.
    last: lastReplyFigures(session.conversation),
    // Replies /retry replaced count, and the summaries compression asked for: they were paid for.
    totals: totalUsage([...session.conversation.messages, ...session.replacedReplies, ...session.summaryReplies]),
    submit,
    complete: (text) => completeLine(text, commands, context()),
    choose,
    interrupt,
    quit,
  };
}

const APPROVALS: PickItem[] = [
  { label: 'yes, once', value: 'once' },
  { label: 'yes, and always this session', value: 'session' },
  { label: 'yes, always (saved to config.yaml)', value: 'always' },
  { label: 'no', value: 'deny' },
];

function approvalNote(name: string, choice: ApprovalChoice): string {
  switch (choice) {
    case 'once':
      return `${name} allowed once`;
    case 'session':
      return `${name} allowed for this session`;
    case 'always':
      return `${name} allowed from now on`;
    case 'deny':
      return `${name} refused; the model is told`;
  }
}

/**
 * The status line's "last" figures: the conversation's latest exchange, in the spec's terms.
 * With tools it is several replies (one per step), summed, and `steps` says how many.
 */
function lastReplyFigures(
  conversation: Conversation,
): { usage: Usage | undefined; costUsd: number | undefined; steps: number } | undefined {
  const reply = lastReply(conversation);
  if (!reply) return undefined;
  const start = conversation.messages.findLastIndex((message) => message.role === 'user');
  const replies = conversation.messages.slice(start + 1).filter((message) => message.role === 'assistant');
  const totals = totalUsage(replies);
  const reported = replies.some((message) => message.usage !== null);
  const usage: Usage | undefined = reported
    ? {
        inputTokens: totals.inputTokens,
        outputTokens: totals.outputTokens,
        cachedInputTokens: reply.usage?.cached_input_tokens,
        reasoningTokens: reply.usage?.reasoning_tokens,
      }
    : undefined;
  return { usage, costUsd: totals.costUsd, steps: replies.length };
}

/** Messages are printed two columns in (HistoryItemView). */
function replyWidth(columns: number | undefined): number {
  return Math.max(20, (columns || 80) - 2);
}
