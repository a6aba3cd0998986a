/**
 * stdout carries data; everything else (progress, warnings, notes) goes to stderr.
 * Colour only when the stream is a terminal and NO_COLOR is unset.
 */
export function useColor(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

const codes = { dim: [2, 22], bold: [1, 22], red: [31, 39], yellow: [33, 39], green: [32, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof codes;

export function paint(text: string, style: Style, enabled = useColor()): string {
  if (!enabled) return text;
  const [open, close] = codes[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

export function note(message: string): void {
  process.stderr.write(`${paint('llmo:', 'dim')} ${message}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`${paint('llmo: warning:', 'yellow')} ${message}\n`);
}
