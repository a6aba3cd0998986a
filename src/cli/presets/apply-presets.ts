/**
 * `-t TEMPLATE` and `--mode MODE` fill in the flags the command line left out: a flag always
 * wins, then the template, then the mode, then config. Variables (`-p KEY VALUE`) are checked
 * here, before anything is read or sent: a missing or unknown one is exit 2 naming it.
 */
import type { ModelCatalog } from '../../config/catalog.js';
import type { LlmoConfig } from '../../config/load.js';
import { modeTemperatureOn, type Mode } from '../../config/mode-settings.js';
import { closest } from '../../config/closest-match.js';
import { fillVariables, readTemplate, variablesOf, type Template } from '../../config/templates.js';
import { ConfigError, UsageError } from '../../errors.js';
import type { ToolFlags } from '../tools/tool-flags.js';

export interface PresetFlags extends ToolFlags {
  model?: string | undefined;
  system?: string | undefined;
  temperature?: string | undefined;
  schema?: string | undefined;
  schemaMulti?: string | undefined;
  template?: string | undefined;
  mode?: string | undefined;
  param?: string[] | undefined;
}

export interface Presets<T> {
  options: T;
  template: Template | undefined;
  mode: Mode | undefined;
  /** The -p values; `input` is added when the prompt is known (fillTemplatePrompt). */
  params: Map<string, string>;
  /** Whether the temperature is the mode's (not a flag's or the template's): see modeTemperatureFor. */
  modeTemperature: boolean;
  /** Whether the model is the mode's preference: a continued conversation keeps its own over it. */
  modeModel: boolean;
}

/** The variable that holds what was typed or piped. */
export const INPUT_VARIABLE = 'input';

/** `usesPrompt: false` (chat): the template's prompt is not sent, so its variables are not asked for. */
export function applyPresets<T extends PresetFlags>(given: T, config: LlmoConfig, { usesPrompt = true } = {}): Presets<T> {
  const params = parseParams(given.param ?? []);
  if (params.size > 0 && given.template === undefined) {
    throw new UsageError('-p sets a template variable; it needs -t TEMPLATE', { hint: 'llmo templates list shows the templates' });
  }
  const template = given.template === undefined ? undefined : readTemplate(config.paths.templatesDir, given.template);
  const mode = given.mode === undefined ? undefined : findMode(config.settings.modes, given.mode);
  const options = { ...given };
  if (template) {
    checkParams(usesPrompt ? template : { ...template, prompt: undefined }, params);
    const system = template.system === undefined ? undefined : fillVariables(template.system, params);
    fill(options, 'system', system);
    fill(options, 'model', template.model);
    fill(options, 'temperature', template.temperature?.toString());
    if (template.schema !== undefined && options.schema === undefined && options.schemaMulti === undefined) {
      options.schema = typeof template.schema === 'string' ? template.schema : JSON.stringify(template.schema);
    }
    if (template.tools && options.tools === undefined) options.tools = template.tools;
  }
  const modeTemperature = mode?.temperature !== undefined && options.temperature === undefined;
  const modeModel = mode?.model !== undefined && options.model === undefined;
  if (mode) {
    fill(options, 'system', mode.system);
    fill(options, 'model', mode.model);
    fill(options, 'temperature', mode.temperature?.toString());
  }
  return { options, template, mode, params, modeTemperature, modeModel };
}

/** The temperature to send: a mode's only where the model takes one (modeTemperatureOn). */
export function modeTemperatureFor(
  presets: Pick<Presets<unknown>, 'modeTemperature'> | undefined,
  temperature: number | undefined,
  catalog: ModelCatalog,
  model: { provider: string; modelId: string },
): number | undefined {
  return presets?.modeTemperature ? modeTemperatureOn(temperature, catalog, model) : temperature;
}

/**
 * The prompt a template makes of the typed (or piped) one: `{{input}}` is replaced by it; a
 * template prompt without `{{input}}` gets it after a blank line; no template prompt: as typed.
 */
export function fillTemplatePrompt(template: Template, input: string, params: ReadonlyMap<string, string>): string {
  if (template.prompt === undefined) return input;
  const values = new Map(params);
  if (!values.has(INPUT_VARIABLE)) values.set(INPUT_VARIABLE, input);
  const filled = fillVariables(template.prompt, values);
  if (variablesOf(template.prompt).includes(INPUT_VARIABLE) || input === '') return filled;
  return `${filled}\n\n${input}`;
}

function fill<T extends PresetFlags, K extends 'system' | 'model' | 'temperature'>(options: T, key: K, value: string | undefined): void {
  if (options[key] === undefined && value !== undefined) options[key] = value as T[K];
}

/** `KEY=VALUE` (what the argument rewrite makes of `-p KEY VALUE`, or written so). */
function parseParams(pairs: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`-p needs a name and a value, got "${pair}"`, { hint: 'write -p NAME VALUE (or -p NAME=VALUE)' });
    params.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  return params;
}

function checkParams(template: Template, params: ReadonlyMap<string, string>): void {
  const used = [...new Set([...variablesOf(template.system), ...variablesOf(template.prompt)])];
  const needed = used.filter((name) => name !== INPUT_VARIABLE);
  for (const name of params.keys()) {
    if (used.includes(name)) continue;
    const nearest = closest(name, needed);
    throw new UsageError(`template "${template.name}" has no variable "${name}"${nearest ? `; did you mean ${nearest}?` : ''}`, {
      hint: needed.length ? `its variables: ${needed.join(', ')}` : 'it takes no -p variables',
    });
  }
  const missing = needed.filter((name) => !params.has(name));
  if (missing.length) {
    throw new UsageError(
      `template "${template.name}" needs ${missing.length === 1 ? 'the variable' : 'the variables'} ${missing.join(', ')}`,
      { hint: missing.map((name) => `-p ${name} VALUE`).join(' ') },
    );
  }
}

function findMode(modes: ReadonlyMap<string, Mode>, name: string): Mode {
  const mode = modes.get(name);
  if (mode) return mode;
  const known = [...modes.keys()].sort();
  const nearest = closest(name, known);
  throw new ConfigError(`unknown mode "${name}"${nearest ? `; did you mean ${nearest}?` : ''}`, {
    hint: `known modes: ${known.join(', ') || 'none'} (add your own under modes: in config.yaml)`,
  });
}
