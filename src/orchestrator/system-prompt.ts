/**
 * A system prompt from a persona (who answers), a role (what job it does) and free text,
 * in that order. Unknown names are configuration errors that list what exists.
 */
import type { SystemPrompts } from '../config/catalog.js';
import { ConfigError } from '../errors.js';

export interface SystemPromptParts {
  persona?: string | undefined;
  role?: string | undefined;
  system?: string | undefined;
}

export function composeSystemPrompt(prompts: SystemPrompts, parts: SystemPromptParts): string | undefined {
  const pieces: string[] = [];
  if (parts.persona) pieces.push(lookup(prompts.personas, 'persona', parts.persona));
  if (parts.role) pieces.push(lookup(prompts.roles, 'role', parts.role));
  if (parts.system) pieces.push(parts.system);
  return pieces.length ? pieces.join('\n\n') : undefined;
}

function lookup(table: Record<string, string>, kind: 'persona' | 'role', name: string): string {
  const prompt = table[name];
  if (prompt !== undefined) return prompt;
  const known = Object.keys(table).sort();
  throw new ConfigError(`unknown ${kind} "${name}"; known ${kind}s: ${known.join(', ') || 'none'}`, {
    hint: `add it under system_prompts.${kind}s in your models.yaml`,
  });
}
