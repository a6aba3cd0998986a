/** The UI's few colours; none at all under NO_COLOR. */
export interface Theme {
  user: string | undefined;
  accent: string | undefined;
  error: string | undefined;
  warning: string | undefined;
  success: string | undefined;
}

export function themeFor(color: boolean): Theme {
  return color
    ? { user: 'cyan', accent: 'magenta', error: 'red', warning: 'yellow', success: 'green' }
    : { user: undefined, accent: undefined, error: undefined, warning: undefined, success: undefined };
}
