/** The conversations directory as files: what is in it, and one conversation's file read or written. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isTempFile } from '../fs/atomic-write.js';
import type { Conversation } from './conversation.js';
import { fileNameOf, idOfFileName } from './conversation-id.js';
import { idOfPendingMark } from './conversation-index.js';
import { CorruptConversation, parseConversation } from './parse-conversation.js';

export function conversationFile(directory: string, id: string): string {
  return path.join(directory, fileNameOf(id));
}

/** The directory's names, once per call: conversation ids and the ids of pending saves. */
export async function listDirectory(directory: string): Promise<{ ids: string[]; pending: Map<string, string[]> }> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ids: [], pending: new Map() };
    throw error;
  }
  const ids: string[] = [];
  const pending = new Map<string, string[]>();
  for (const name of names) {
    if (isTempFile(name)) continue;
    const id = idOfFileName(name);
    if (id !== undefined) {
      ids.push(id);
      continue;
    }
    const marked = idOfPendingMark(name);
    if (marked !== undefined) pending.set(marked, [...(pending.get(marked) ?? []), name]);
  }
  return { ids, pending };
}

/** One conversation from its file; a file whose id is not its name is corrupt (a hand copy). */
export async function readConversationFile(directory: string, id: string): Promise<Conversation> {
  const conversation = parseConversation(await readFile(conversationFile(directory, id), 'utf8'));
  if (conversation.id !== id) throw new CorruptConversation(`its id ${conversation.id} does not match the file name`);
  return conversation;
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** A conversation as its file holds it (also what `/save PATH` writes). */
export function serialize(conversation: Conversation): string {
  return `${JSON.stringify(conversation, null, 2)}\n`;
}
