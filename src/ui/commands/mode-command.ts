/**
 * /mode NAME: a mode's presets for the rest of the chat — its system prompt (as the free-text
 * part, kept with a persona and role), its temperature and its preferred model. `/mode off`
 * removes what the mode set; `/mode` alone shows the mode and those there are.
 */
import type { ConversationSystem } from '../../conversations/index.js';
import { modeTemperatureOn, type Mode } from '../../config/mode-settings.js';
import { composeSystemPrompt } from '../../orchestrator/system-prompt.js';
import { errorResult } from './command-error.js';
import { failure, info, type CommandContext, type CommandResult, type SlashCommand } from './types.js';

export const modeCommand: SlashCommand = {
  name: 'mode',
  argumentHint: '[NAME|off]',
  description: 'switch to a mode: its system prompt, temperature and model (modes: in config); off removes it',
  completion: (context) => [...(context.modes?.keys() ?? [])].sort().concat('off'),
  async action(context, args) {
    const name = args.trim();
    const modes = context.modes ?? new Map<string, Mode>();
    const names = [...modes.keys()].sort();
    if (name === '') {
      return info(
        `Mode: ${context.session.mode ?? 'none'}. Available: ${names.join(', ') || 'none (add them under modes: in config.yaml)'}`,
      );
    }
    if (name === 'off') {
      const current = context.session.mode === undefined ? undefined : modes.get(context.session.mode);
      return withMode(context, undefined, {
        text:
          current?.system !== undefined && context.session.conversation.system.text === current.system
            ? null
            : context.session.conversation.system.text,
        temperature: undefined,
      });
    }
    const mode = modes.get(name);
    if (!mode) return failure(`unknown mode "${name}"`, `known modes: ${names.join(', ') || 'none'}`);
    try {
      const resolved = mode.model === undefined ? undefined : await context.resolveModel(mode.model);
      const switched = resolved && `${resolved.provider}:${resolved.modelId}` !== context.session.model ? resolved : undefined;
      const [provider, ...model] = context.session.model.split(':');
      const target = resolved ?? { provider: provider!, modelId: model.join(':') };
      const temperature = modeTemperatureOn(mode.temperature, context.catalog, target);
      return withMode(context, mode, { text: mode.system ?? context.session.conversation.system.text, temperature }, switched);
    } catch (error) {
      return errorResult(error);
    }
  },
};

function withMode(
  context: CommandContext,
  mode: Mode | undefined,
  change: { text: string | null | undefined; temperature: number | undefined },
  resolved?: Extract<CommandResult, { type: 'set-mode' }>['resolved'],
): CommandResult {
  const current = context.session.conversation.system;
  const text = change.text ?? null;
  try {
    const prompt = composeSystemPrompt(context.catalog.systemPrompts, {
      persona: current.persona ?? undefined,
      role: current.role ?? undefined,
      system: text ?? undefined,
    });
    const system: ConversationSystem = { prompt: prompt ?? null, persona: current.persona, role: current.role, text };
    const parameters = { ...context.session.parameters, temperature: change.temperature };
    const what = mode
      ? `mode ${mode.name}${mode.description ? `: ${mode.description}` : ''}${resolved ? ` (now ${resolved.provider}:${resolved.modelId})` : ''}`
      : 'mode off';
    return { type: 'set-mode', mode: mode?.name, system, parameters, text: what, ...(resolved ? { resolved } : {}) };
  } catch (error) {
    return errorResult(error);
  }
}
