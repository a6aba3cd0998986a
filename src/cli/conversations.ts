import { LlmoError } from '../errors.js';

export async function conversations(_options: Record<string, unknown>): Promise<void> {
  throw new LlmoError('llmo conversations is not built yet');
}
