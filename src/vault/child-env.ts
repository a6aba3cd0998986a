/**
 * The environment for a process llmo starts: without LLMO_* (LLMO_SESSION is a secret,
 * LLMO_PASSWORD_FILE points at one) and without NODE_OPTIONS (which could, say, open an
 * inspector on a process holding keys).
 */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name.startsWith('LLMO_') || name === 'NODE_OPTIONS') continue;
    clean[name] = value;
  }
  return clean;
}
