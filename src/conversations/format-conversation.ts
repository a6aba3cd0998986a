/**
 * Conversations as text for people: a Markdown export, and the plain transcript
 * `llmo conversations show` prints. Pure functions; costs come pre-formatted by the caller's
 * `formatUsd` so this module stays free of pricing rules.
 */
import type { AssistantMessage, Conversation } from './conversation.js';
import { totalUsage } from './conversation-usage.js';

export type FormatUsd = (cost: number | undefined) => string;

export function toMarkdown(conversation: Conversation, formatUsd: FormatUsd): string {
  const totals = totalUsage(conversation.messages);
  const lines: string[] = [`# ${conversation.title || conversation.id || 'Conversation'}`, ''];
  lines.push(`- id: ${conversation.id ?? '(unsaved)'}`);
  lines.push(`- created: ${conversation.created_at}`);
  lines.push(`- updated: ${conversation.updated_at}`);
  lines.push(`- model: ${conversation.model}`);
  if (conversation.system.persona) lines.push(`- persona: ${conversation.system.persona}`);
  if (conversation.system.role) lines.push(`- role: ${conversation.system.role}`);
  lines.push(`- tokens: ${totals.inputTokens} in, ${totals.outputTokens} out`);
  if (totals.costUsd !== undefined)
    lines.push(`- cost: ${formatUsd(totals.costUsd)}${totals.unpricedReplies ? ' (some replies unpriced)' : ''}`);
  if (conversation.system.prompt) {
    lines.push('', '## System', '', ...conversation.system.prompt.split('\n').map((line) => `> ${line}`.trimEnd()));
  }
  for (const message of conversation.messages) {
    if (message.role === 'user') {
      lines.push('', '## You', '', message.content);
    } else {
      lines.push('', `## ${message.provider}:${message.model}`, '', message.content);
      if (message.tool_calls?.length) lines.push('', ...toolCallLines(message).map((line) => `- \`${line}\``));
      const note = incompleteNote(message);
      if (note) lines.push('', `_${note}_`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One line about a reply: model, tokens, cost, time. */
export function replySummary(message: AssistantMessage, formatUsd: FormatUsd): string {
  const parts = [`${message.provider}:${message.model}`];
  if (message.usage) parts.push(`${message.usage.input_tokens} in / ${message.usage.output_tokens} out`);
  if (message.cost_usd !== null) parts.push(formatUsd(message.cost_usd));
  parts.push(`${(message.duration_ms / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

/** One line per tool call: `→ fs.read_file {"path":"a"} → 120 characters` (or the error). */
export function toolCallLines(message: AssistantMessage): string[] {
  return (message.tool_calls ?? []).map((call) => {
    const result = call.result.is_error
      ? `error: ${call.result.content.replace(/\s+/g, ' ').slice(0, 120)}`
      : `${call.result.content.length} character${call.result.content.length === 1 ? '' : 's'}`;
    return `→ ${call.name} ${JSON.stringify(call.arguments)} → ${result}`;
  });
}

export function incompleteNote(message: AssistantMessage): string | undefined {
  if (message.interrupted) return 'interrupted: the reply above is partial';
  if (message.error) return `failed: ${message.error.message} (the reply above is partial)`;
  return undefined;
}

export function toTranscript(conversation: Conversation, formatUsd: FormatUsd): string {
  const totals = totalUsage(conversation.messages);
  const header = [
    `${conversation.id ?? '(unsaved)'}  ${conversation.title}`,
    [
      `created ${conversation.created_at}`,
      `updated ${conversation.updated_at}`,
      `model ${conversation.model}`,
      `${conversation.messages.length} messages`,
      `${totals.inputTokens} in / ${totals.outputTokens} out`,
      ...(totals.costUsd !== undefined ? [formatUsd(totals.costUsd)] : []),
    ].join(' · '),
  ];
  const system = [
    conversation.system.persona && `persona ${conversation.system.persona}`,
    conversation.system.role && `role ${conversation.system.role}`,
  ]
    .filter(Boolean)
    .join(', ');
  if (conversation.system.prompt) header.push(`system${system ? ` (${system})` : ''}: ${conversation.system.prompt.replace(/\s+/g, ' ')}`);
  if (conversation.parent) header.push(`branched from ${conversation.parent.id} after turn ${conversation.parent.turn}`);
  const { compressed } = conversation;
  if (compressed) header.push(`compressed: the first ${compressed.messages} messages are sent as a summary by ${compressed.model}`);
  const body: string[] = [];
  for (const message of conversation.messages) {
    if (message.role === 'user') {
      const attached = message.attachments?.length
        ? `\n  [attached: ${message.attachments.map((attachment) => `${attachment.name} (${attachment.media_type})`).join(', ')}]`
        : '';
      body.push(`> ${message.content.split('\n').join('\n  ')}${attached}`);
    } else {
      const note = incompleteNote(message);
      const calls = message.tool_calls?.length ? `\n${toolCallLines(message).join('\n')}` : '';
      body.push(`[${replySummary(message, formatUsd)}]\n${message.content}${calls}${note ? `\n[${note}]` : ''}`);
    }
  }
  return `${[header.join('\n'), ...body].join('\n\n')}\n`;
}
