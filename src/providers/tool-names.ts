/**
 * Tool names as people write them (`fs.read_file`) and as vendors accept them. OpenAI, Anthropic
 * and Mistral allow only `[a-zA-Z0-9_-]{1,64}` (Anthropic 128), so a dot or any other character is
 * encoded; the codec remembers every name of one request so replies decode back exactly, even when
 * two names would encode alike.
 */
const VENDOR_SAFE = /^[a-zA-Z0-9_-]{1,64}$/;

export interface ToolNameCodec {
  /** The wire name for a tool name from the request. */
  encode(name: string): string;
  /** The request's tool name for a wire name; unknown wire names pass through unchanged. */
  decode(wireName: string): string;
}

export function createToolNameCodec(names: readonly string[]): ToolNameCodec {
  const toWire = new Map<string, string>();
  const fromWire = new Map<string, string>();
  // Names that are already safe keep themselves; the others are encoded around them.
  const ordered = [...names.filter((name) => VENDOR_SAFE.test(name)), ...names.filter((name) => !VENDOR_SAFE.test(name))];
  for (const name of ordered) {
    let wire = VENDOR_SAFE.test(name) ? name : safeName(name);
    for (let suffix = 2; fromWire.has(wire) && fromWire.get(wire) !== name; suffix += 1) {
      wire = `${safeName(name).slice(0, 60)}_${suffix}`;
    }
    toWire.set(name, wire);
    fromWire.set(wire, name);
  }
  return {
    encode: (name) => toWire.get(name) ?? safeName(name),
    decode: (wireName) => fromWire.get(wireName) ?? wireName,
  };
}

/** `server.tool` → `server__tool`; any other unsafe character → `_`; at most 64 characters. */
function safeName(name: string): string {
  const replaced = name.replaceAll('.', '__').replace(/[^a-zA-Z0-9_-]/g, '_');
  return (replaced || '_').slice(0, 64);
}
