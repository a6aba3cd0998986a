import { LlmoError } from '../errors.js';

export async function parallel(_options: Record<string, unknown>): Promise<void> {
  throw new LlmoError('llmo parallel is not built yet');
}
