/**
 * How every adapter words its errors, so that a failure reads the same whichever vendor it came
 * from: `<provider>: <what happened>: <vendor's words> (HTTP n, request id …)`, the key never shown.
 */

/** The vendor's words are kept to one line of a readable length (a proxy may send a whole HTML page). */
const MAX_PROVIDER_WORDS = 500;

export interface ProviderMessageParts {
  /** The configured provider name. */
  provider: string;
  /** What happened, in llmo's words: `API key rejected`, `server error`, `request rejected`… */
  what: string;
  /** The vendor's own words (or the transport's), when there are any. */
  said?: string | undefined;
  status?: number | undefined;
  requestId?: string | undefined;
  /** Cut out of the result wherever it appears (a misbehaving server or proxy may echo it). */
  apiKey?: string | undefined;
}

/**
 * The one shape of a provider error message:
 * `<provider>: <what happened>: <vendor's words> (HTTP n, request id …)`. Parts that are unknown
 * are left out; the vendor's words become one line of at most 500 characters; the key never shows.
 */
export function formatProviderMessage(parts: ProviderMessageParts): string {
  // Redact before cutting: a key cut in half by the length limit would no longer match, and
  // its first characters would be shown.
  const said = parts.said === undefined ? '' : oneLine(redactSecret(parts.said, parts.apiKey));
  const requestId = parts.requestId && redactSecret(parts.requestId, parts.apiKey);
  const details = [parts.status === undefined ? undefined : `HTTP ${parts.status}`, requestId && `request id ${requestId}`].filter(Boolean);
  const message = `${parts.provider}: ${parts.what}${said ? `: ${said}` : ''}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  return redactSecret(message, parts.apiKey);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_PROVIDER_WORDS ? `${line.slice(0, MAX_PROVIDER_WORDS - 1)}…` : line;
}

/**
 * Removes a key from text: the key itself, the key as `oneLine` would have reflowed it (a key
 * pasted with a line break inside), what fetch quotes back from a header value it refused
 * (`Headers.append: "<value>" is an invalid header value`), and any bearer token. Keys shorter
 * than 8 characters are placeholders of keyless servers; blanking them would mangle ordinary words.
 */
export function redactSecret(text: string, apiKey?: string): string {
  let redacted = text;
  if (apiKey && apiKey.length >= 8) {
    for (const form of new Set([apiKey, apiKey.trim(), apiKey.replace(/\s+/g, ' ').trim()])) {
      if (form.length >= 8) redacted = redacted.split(form).join('[REDACTED]');
    }
  }
  return redacted.replace(/("[^"]*")( is an invalid header value)/g, '"[REDACTED]"$2').replace(/(Bearer\s+)[^\s"',;)]+/gi, '$1[REDACTED]');
}

/** The hint every adapter gives when a provider rejects the key. */
export function providerAuthHint(provider: string): string {
  return `\`llmo auth status\` shows where the ${provider} key comes from; replace it with \`llmo auth add ${provider}\``;
}
