import { LlmoError } from '../errors.js';

export async function auth(_options: Record<string, unknown>): Promise<void> {
  throw new LlmoError('llmo auth is not built yet');
}
