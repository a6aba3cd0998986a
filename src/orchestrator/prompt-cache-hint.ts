/**
 * Which prefix of a request is worth the vendor's prompt cache (ModelRequest.cacheHint). Anthropic
 * caches only what is marked, only from about 1,024 tokens on (2,048 for its small models), and
 * bills a cache write at 1.25× the input price: marking a short prompt would cost more than it
 * saves. So only a long system prompt, and a conversation whose earlier turns are long, are marked.
 */
import { messageText, type ModelRequest } from '../providers/spec.js';

/** About 2,048 tokens at four characters a token: long enough for every Anthropic model to cache. */
export const CACHEABLE_CHARACTERS = 8_192;

export function withCacheHint(request: ModelRequest): ModelRequest {
  if (request.cacheHint) return request;
  let systemCharacters = 0;
  let historyCharacters = 0;
  let userTurns = 0;
  for (const message of request.messages) {
    const length = messageText(message).length;
    if (message.role === 'system') systemCharacters += length;
    else historyCharacters += length;
    if (message.role === 'user') userTurns += 1;
  }
  const system = systemCharacters >= CACHEABLE_CHARACTERS;
  // One turn has nothing to reuse yet, unless the tool loop will send it again (its next step).
  const history = (userTurns > 1 || request.tools !== undefined) && systemCharacters + historyCharacters >= CACHEABLE_CHARACTERS;
  if (!system && !history) return request;
  return { ...request, cacheHint: { ...(system ? { system } : {}), ...(history ? { history } : {}) } };
}
