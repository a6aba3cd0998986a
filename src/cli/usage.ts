import { LlmoError } from '../errors.js';

export async function usage(_options: Record<string, unknown>): Promise<void> {
  throw new LlmoError('llmo usage is not built yet');
}
