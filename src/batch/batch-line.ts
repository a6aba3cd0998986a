/**
 * One input record turned into a request: its id, its messages (the record's `messages`, or its
 * `prompt` — through the template when there is one — with an optional `system`) and the model
 * and max_tokens it may name. A record that cannot become a request says why, in one phrase.
 */
import { renderTemplate, type TemplatePart } from '../orchestrator/template.js';
import type { Message } from '../providers/spec.js';

export type LineId = string | number;

export interface BatchLine {
  /** Position among the input's records: the output keeps this order. */
  index: number;
  lineNumber: number;
  id: LineId;
  messages: Message[];
  /** A model reference the line names, instead of -m. */
  model?: string | undefined;
  maxTokens?: number | undefined;
}

export interface LineDefaults {
  template?: readonly TemplatePart[] | undefined;
  system?: string | undefined;
}

const RESERVED = new Set(['id', 'prompt', 'messages', 'vars', 'system', 'model', 'max_tokens']);
const ROLES = new Set(['system', 'user', 'assistant']);

/** The line, or the reason it cannot be sent. */
export function toBatchLine(
  fields: Record<string, unknown>,
  position: { index: number; lineNumber: number },
  defaults: LineDefaults,
): BatchLine | string {
  const { id } = fields;
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return '"id" must be a string or a number';
  const model = fields.model;
  if (model !== undefined && (typeof model !== 'string' || model === ''))
    return '"model" must be a model reference such as "openai:gpt-4o-mini"';
  const maxTokens = fields.max_tokens === '' ? undefined : fields.max_tokens === undefined ? undefined : Number(fields.max_tokens);
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens >= 1)) return '"max_tokens" must be a whole number from 1 up';
  const system = fields.system ?? defaults.system;
  if (system !== undefined && typeof system !== 'string') return '"system" must be a string';

  const conversation = toMessages(fields, defaults.template);
  if (typeof conversation === 'string') return conversation;
  const messages: Message[] =
    system && !conversation.some((message) => message.role === 'system')
      ? [{ role: 'system', content: system }, ...conversation]
      : conversation;
  return {
    index: position.index,
    lineNumber: position.lineNumber,
    id: id ?? position.lineNumber,
    messages,
    ...(typeof model === 'string' ? { model } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
  };
}

function toMessages(fields: Record<string, unknown>, template: readonly TemplatePart[] | undefined): Message[] | string {
  if (fields.messages !== undefined) {
    if (!Array.isArray(fields.messages) || fields.messages.length === 0) return '"messages" must be a non-empty list of {role, content}';
    const messages: Message[] = [];
    for (const message of fields.messages as unknown[]) {
      const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
      if (typeof role !== 'string' || !ROLES.has(role) || typeof content !== 'string')
        return '"messages" entries must be {"role": "system"|"user"|"assistant", "content": "…"}';
      messages.push({ role, content } as Message);
    }
    return messages;
  }
  const prompt = fields.prompt;
  if (prompt !== undefined && typeof prompt !== 'string') return '"prompt" must be a string';
  if (!template) {
    if (!prompt) return 'needs a "prompt" or "messages" (or give --prompt / --template to build one from its fields)';
    return [{ role: 'user', content: prompt }];
  }
  const vars = fields.vars ?? {};
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) return '"vars" must be an object of names to values';
  let missing: string | undefined;
  const text = renderTemplate(template, (variable) => {
    if (variable.kind === 'input') return prompt ?? '';
    if (variable.kind !== 'var') return '';
    const value = (vars as Record<string, unknown>)[variable.key] ?? (RESERVED.has(variable.key) ? undefined : fields[variable.key]);
    if (value === undefined || value === null) {
      missing ??= variable.key;
      return '';
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
  if (missing !== undefined) return `the template needs {{${missing}}} but the line has no field "${missing}"`;
  return [{ role: 'user', content: text }];
}
