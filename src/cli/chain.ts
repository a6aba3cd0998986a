import { LlmoError } from '../errors.js';

export async function chain(_options: Record<string, unknown>): Promise<void> {
  throw new LlmoError('llmo chain is not built yet');
}
