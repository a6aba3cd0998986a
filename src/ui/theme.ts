/** The UI's few colours; none at all under NO_COLOR. */
/** A colour as Text props: `{ color }`, or nothing at all when colour is off (spread into <Text>). */
export type Tint = { color: string } | Record<string, never>;

export interface Theme {
  user: Tint;
  accent: Tint;
  error: Tint;
  warning: Tint;
  success: Tint;
}

export function themeFor(color: boolean): Theme {
  return color
    ? {
        user: { color: 'cyan' },
        accent: { color: 'magenta' },
        error: { color: 'red' },
        warning: { color: 'yellow' },
        success: { color: 'green' },
      }
    : { user: {}, accent: {}, error: {}, warning: {}, success: {} };
}
