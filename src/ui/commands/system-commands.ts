/**
 * /system, /persona and /role: the three parts of the system prompt (persona, then role, then
 * free text, composed as `llmo ask` does). Empty shows what is set; `off` removes the part.
 */
import type { ConversationSystem } from '../../conversations/index.js';
import { composeSystemPrompt } from '../../orchestrator/system-prompt.js';
import { errorResult } from './command-error.js';
import { info, type CommandContext, type CommandResult, type SlashCommand } from './types.js';

type Part = 'text' | 'persona' | 'role';

function withPart(context: CommandContext, part: Part, value: string | null): CommandResult {
  const current = context.session.conversation.system;
  const parts = { ...current, [part]: value };
  try {
    const prompt = composeSystemPrompt(context.catalog.systemPrompts, {
      persona: parts.persona ?? undefined,
      role: parts.role ?? undefined,
      system: parts.text ?? undefined,
    });
    const system: ConversationSystem = { prompt: prompt ?? null, persona: parts.persona, role: parts.role, text: parts.text };
    return { type: 'set-system', system };
  } catch (error) {
    return errorResult(error);
  }
}

export function describeSystem(system: ConversationSystem): string {
  if (!system.prompt) return 'No system prompt. /system TEXT, /persona NAME or /role NAME sets one.';
  const parts = [system.persona && `persona ${system.persona}`, system.role && `role ${system.role}`, system.text && 'your text']
    .filter(Boolean)
    .join(' + ');
  return `System prompt (${parts}):\n${system.prompt}`;
}

function namedPartCommand(part: 'persona' | 'role', description: string): SlashCommand {
  const table = (context: CommandContext) =>
    part === 'persona' ? context.catalog.systemPrompts.personas : context.catalog.systemPrompts.roles;
  return {
    name: part,
    argumentHint: '[NAME|off]',
    description,
    completion: (context) => [...Object.keys(table(context)).sort(), 'off'],
    action(context, args) {
      const name = args.trim();
      if (name === '') {
        const names = Object.keys(table(context)).sort();
        const current = context.session.conversation.system[part];
        return info(
          `${part === 'persona' ? 'Persona' : 'Role'}: ${current ?? 'none'}. Available: ${names.join(', ') || 'none (add them under system_prompts in models.yaml)'}`,
        );
      }
      return withPart(context, part, name === 'off' ? null : name);
    },
  };
}

export const systemCommand: SlashCommand = {
  name: 'system',
  argumentHint: '[TEXT|off]',
  description: 'set the system prompt text (kept with any persona and role); shows it when empty',
  action(context, args) {
    const text = args.trim();
    if (text === '') return info(describeSystem(context.session.conversation.system));
    return withPart(context, 'text', text === 'off' ? null : text);
  },
};

export const personaCommand = namedPartCommand('persona', 'answer as a persona from models.yaml (off removes it)');
export const roleCommand = namedPartCommand('role', 'give the model a role from models.yaml (off removes it)');
