/** The API key for `auth add`: a no-echo prompt on a terminal, else all of stdin. */
import { UsageError } from '../../errors.js';
import type { Secret } from '../../vault/index.js';
import { canPrompt, promptSecret } from '../keys/prompt-secret.js';

export async function readApiKey(provider: string, input: NodeJS.ReadStream = process.stdin): Promise<Secret> {
  const { Secret } = await import('../../vault/index.js');
  let text: string;
  if (canPrompt(input)) {
    text = (await promptSecret(`API key for ${provider}: `)).reveal();
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    const all = Buffer.concat(chunks);
    text = all.toString('utf8');
    all.fill(0);
    for (const chunk of chunks) chunk.fill(0);
  }
  const key = text.trim();
  if (key === '')
    throw new UsageError(`no key given for ${provider}`, {
      hint: `type it at the prompt, or pipe it: llmo auth add ${provider} < key.txt`,
    });
  if (/\s/.test(key)) throw new UsageError('the key contains whitespace; give exactly one key');
  // API keys are printable ASCII. A control character (a pasted NUL, an escape sequence) would
  // make every request fail, and fetch quotes the refused header value, key and all, in its error.
  if (/[^\x21-\x7e]/.test(key)) {
    throw new UsageError('the key contains a control or non-ASCII character; nothing was stored', {
      hint: 'copy the key again from the provider’s console',
    });
  }
  return new Secret(key);
}
