/**
 * Provider errors usually start with the provider's name ("openai: 500 …"). These put a message
 * behind a label or a provider without saying the provider twice.
 */
interface DescribableError {
  message: string;
  provider?: string;
}

/** The message without a leading "provider: ". */
export function bareMessage(error: DescribableError | undefined, fallback = 'no output'): string {
  if (!error) return fallback;
  const { provider, message } = error;
  return provider && message.startsWith(`${provider}: `) ? message.slice(provider.length + 2) : message;
}

/** The message, starting with its provider's name when it has one (and does not say it already). */
export function withProvider(error: DescribableError | undefined, fallback = 'no output'): string {
  if (!error) return fallback;
  const { provider, message } = error;
  if (!provider || message.startsWith(`${provider} `)) return message;
  return `${provider}: ${bareMessage(error)}`;
}

/** `label: message`, e.g. `openai:gpt-4o: 500 server error`. */
export function labelled(label: string, error: DescribableError | undefined, fallback = 'no output'): string {
  return `${label}: ${bareMessage(error, fallback)}`;
}
