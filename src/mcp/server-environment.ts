/**
 * The environment a stdio MCP server starts with: llmo's own, minus everything that looks like a
 * credential (an MCP server is someone else's code: it gets the secrets its definition names and
 * no others), plus the entries its definition adds.
 */

/** `*_API_KEY`, `*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `LLMO_*` (LLMO_SESSION unwraps the vault). */
const CREDENTIAL = /_API_KEY$|TOKEN|SECRET|PASSWORD|^LLMO_/i;

export function isCredentialVariable(name: string): boolean {
  return CREDENTIAL.test(name);
}

export function serverEnvironment(parent: NodeJS.ProcessEnv, added: Readonly<Record<string, string>>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    // NODE_OPTIONS could open an inspector on, or preload code into, a server holding a secret.
    if (value === undefined || isCredentialVariable(name) || name === 'NODE_OPTIONS') continue;
    environment[name] = value;
  }
  return { ...environment, ...added };
}
