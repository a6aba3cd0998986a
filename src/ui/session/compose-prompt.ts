/**
 * The prompt as it is sent: what /attach gathered and the files `@path` names in the message,
 * text files as labelled blocks ahead of it (as -f), images and PDFs as content parts (as -a).
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { mentionedPaths } from '../input/complete-path.js';
import type { PromptAttachment } from './chat-session.js';
import type { ChatInput, ChatInputReader } from './session-types.js';

export interface ComposedPrompt {
  prompt: string;
  attachments: PromptAttachment[];
  /** Everything that went in. */
  inputs: ChatInput[];
  /** What /attach had gathered: given back to its list when the prompt gets no reply. */
  pending: ChatInput[];
  /** What was left out of a folder (binaries, the size cap). */
  notes: string[];
}

const exists = (file: string) =>
  stat(file.startsWith('~/') ? path.join(homedir(), file.slice(2)) : file).then(
    () => true,
    () => false,
  );

/** Throws (an LlmoError naming the file) when an @path cannot be read. */
export async function composePrompt(
  text: string,
  pending: readonly ChatInput[],
  reader: ChatInputReader | undefined,
): Promise<ComposedPrompt> {
  const inputs = [...pending];
  const notes: string[] = [];
  if (reader) {
    for (const file of await mentionedPaths(text, exists)) {
      const read = await reader.read(file);
      inputs.push(...read.inputs);
      notes.push(...read.notes);
    }
  }
  const fragments = inputs.filter((input): input is Extract<ChatInput, { kind: 'fragment' }> => input.kind === 'fragment');
  const attachments = inputs.flatMap((input) => (input.kind === 'attachment' ? [{ part: input.part, stored: input.stored }] : []));
  const prompt = fragments.length && reader ? reader.withFragments(fragments, text) : text;
  return { prompt, attachments, inputs, pending: [...pending], notes };
}

/** "with photo.png, notes.md" for the line under the prompt. */
export function describeInputs(inputs: readonly ChatInput[]): string {
  const names = inputs.map((input) => (input.kind === 'attachment' ? input.stored.name : input.label));
  return names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
}
