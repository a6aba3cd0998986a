/**
 * `modes:` in config: named presets (a system prompt, a temperature, a preferred model) picked
 * with `--mode NAME` or `/mode NAME`. A mode may start from another (`inherits: research`) and
 * change what it names; a chain of inherits that comes back on itself is refused (exit 3).
 */
import { capabilitiesOf, type ModelCatalog } from './catalog.js';
import type { Reader } from './settings-reader.js';

export interface Mode {
  name: string;
  description: string | undefined;
  system: string | undefined;
  temperature: number | undefined;
  model: string | undefined;
}

/**
 * A mode's temperature is a preference, not a demand: on a model that takes none
 * (`no_temperature` in models.yaml) it is left out, without the warning a --temperature would earn.
 */
export function modeTemperatureOn(
  temperature: number | undefined,
  catalog: ModelCatalog,
  model: { provider: string; modelId: string },
): number | undefined {
  const provider = catalog.providers.get(model.provider);
  return provider && capabilitiesOf(catalog, provider, model.modelId).has('no_temperature') ? undefined : temperature;
}

interface Declared extends Mode {
  inherits: string | undefined;
}

export function readModes(read: Reader): Map<string, Mode> {
  const declared = new Map<string, Declared>();
  for (const name of read.keys(['modes'])) {
    const at = ['modes', name];
    declared.set(name, {
      name,
      description: read.string([...at, 'description']),
      system: read.string([...at, 'system']),
      temperature: read.number([...at, 'temperature'], { min: 0, max: 2 }),
      model: read.string([...at, 'model']),
      inherits: read.string([...at, 'inherits']),
    });
  }
  const modes = new Map<string, Mode>();
  for (const name of declared.keys()) modes.set(name, resolveMode(read, declared, name));
  return modes;
}

/** The mode with what it inherits filled in: its own fields win over its parent's, and so on up. */
function resolveMode(read: Reader, declared: Map<string, Declared>, name: string): Mode {
  const chain: Declared[] = [];
  for (let current = declared.get(name); current; ) {
    if (chain.includes(current)) {
      const cycle = [...chain.slice(chain.indexOf(current)), current].map((mode) => mode.name).join(' → ');
      throw read.error(['modes', name, 'inherits'], `inherits in a circle (${cycle}); a mode cannot be its own ancestor`);
    }
    chain.push(current);
    if (current.inherits === undefined) break;
    const parent = declared.get(current.inherits);
    if (!parent) {
      throw read.error(
        ['modes', current.name, 'inherits'],
        `no mode "${current.inherits}"; known modes: ${[...declared.keys()].sort().join(', ')}`,
      );
    }
    current = parent;
  }
  const pick = <K extends 'description' | 'system' | 'temperature' | 'model'>(key: K) =>
    chain.find((mode) => mode[key] !== undefined)?.[key];
  return { name, description: pick('description'), system: pick('system'), temperature: pick('temperature'), model: pick('model') };
}
