import { LlmoError } from '../errors.js';

export async function chat(_options: Record<string, unknown>): Promise<void> {
  throw new LlmoError('llmo chat is not built yet');
}
