/**
 * Slash commands are data: a name, a description, an optional completion and an action that
 * returns what should happen ({ type: 'quit' }, { type: 'message', … }) instead of reaching
 * into the UI. Each is testable as a plain function with a mock context.
 */
import type { ModelCatalog } from '../../config/catalog.js';
import type { Mode } from '../../config/mode-settings.js';
import type { AssistantMessage, Conversation, ConversationStore, ConversationSystem } from '../../conversations/index.js';
import type { ModelResolver, ResolvedModel } from '../../orchestrator/call-model.js';
import type { HostedTool } from '../../orchestrator/tool-host.js';
import type { Clipboard } from '../clipboard.js';
import type { ChatInput, ChatInputReader } from '../session/session-types.js';

/** What a command may read. It changes nothing itself: its result says what to change. */
export interface CommandContext {
  catalog: ModelCatalog;
  store: ConversationStore;
  resolveModel: ModelResolver;
  clipboard: Clipboard;
  session: {
    conversation: Conversation;
    /** `provider:model` in use. */
    model: string;
    provider: string;
    raw: boolean;
    /** The prompt /retry would send, if any. */
    retryPrompt: string | undefined;
    /** Replies /retry replaced: no longer in the conversation, but paid for. */
    replaced?: readonly AssistantMessage[];
    /** The session's tools, when it has any (`--tools`, or servers in config). */
    tools?: { on: boolean; list: () => Promise<HostedTool[]> } | undefined;
    /** Request settings /set changed for this session (undefined: the configured default). */
    parameters: RequestParameters;
    /** How many prompts the conversation holds. */
    turns?: number;
    /** The last prompt, for /edit. */
    lastPrompt?: string | undefined;
    /** The mode in use (`--mode`, `/mode`). */
    mode?: string | undefined;
  };
  /** Reads /attach sources (files, folders, URLs); absent where the chat cannot read them. */
  inputs?: ChatInputReader | undefined;
  /** The modes /mode offers (config's modes:). */
  modes?: ReadonlyMap<string, Mode> | undefined;
  commands: readonly SlashCommand[];
  /** Columns a message has on screen, when known: long lines of a listing wrap to it. */
  width?: number;
}

/** What /set may change for the rest of a session. */
export interface RequestParameters {
  maxTokens?: number | undefined;
  temperature?: number | undefined;
}

export interface PickItem {
  label: string;
  value: string;
}

export type CommandResult =
  | { type: 'quit' }
  | { type: 'message'; level: 'info' | 'error'; text: string; hint?: string }
  | { type: 'switch-model'; resolved: ResolvedModel }
  | { type: 'set-system'; system: ConversationSystem }
  | { type: 'new-conversation' }
  | { type: 'load-conversation'; conversation: Conversation }
  | { type: 'save'; title?: string }
  | { type: 'retry'; resolved?: ResolvedModel }
  | { type: 'set-raw'; raw: boolean }
  | { type: 'set-tools'; on: boolean }
  | { type: 'set-parameters'; parameters: RequestParameters; text: string }
  /** Ask `prompt` in place of the last prompt, in a new branch (/edit). */
  | { type: 'edit'; prompt: string }
  /** Put this text in the prompt editor, to change and send. */
  | { type: 'fill-input'; text: string }
  /** Carry on in a new branch holding the first `turns` turns (/fork). */
  | { type: 'fork'; turns: number }
  | { type: 'compress' }
  /** Files and pages to send with the next prompt (/attach). */
  | { type: 'attach'; inputs: ChatInput[]; notes: string[]; source: string }
  /** A mode's system prompt, temperature and model at once (`resolved` when the model changes); mode undefined: none. */
  | {
      type: 'set-mode';
      mode: string | undefined;
      system: ConversationSystem;
      parameters: RequestParameters;
      resolved?: ResolvedModel;
      text: string;
    }
  /** Show a list to choose from; the choice is passed to `pick`, whose result applies next. */
  | { type: 'pick'; title: string; items: PickItem[]; pick: (value: string) => Promise<CommandResult> | CommandResult };

export interface SlashCommand {
  name: string;
  altNames?: string[];
  /** How the arguments look in /help: `[REF]`, `[TITLE]`. */
  argumentHint?: string;
  description: string;
  /** Candidates for the argument being typed (filtered by prefix by the caller). */
  completion?: (context: CommandContext, partial: string) => Promise<string[]> | string[];
  action: (context: CommandContext, args: string) => Promise<CommandResult> | CommandResult;
}

export const info = (text: string): CommandResult => ({ type: 'message', level: 'info', text });
export const failure = (text: string, hint?: string): CommandResult => ({
  type: 'message',
  level: 'error',
  text,
  ...(hint ? { hint } : {}),
});
