/** All of stdin when it is piped or redirected; undefined when it is a terminal. */
export async function readPipedStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string | undefined> {
  if (stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Arguments first, then piped text, separated by a blank line (`echo text | llmo ask "summarize:"`). */
export function joinPrompt(argumentsText: string, piped: string | undefined): string {
  const parts = [argumentsText.trim(), piped?.trim() ?? ''].filter((part) => part !== '');
  return parts.join('\n\n');
}
