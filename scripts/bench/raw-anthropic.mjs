// The floor for `llmo ask -m anthropic`: a one-file script streaming a reply with the raw SDK.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, baseURL: process.env.ANTHROPIC_BASE_URL, maxRetries: 0 });
const stream = await client.messages.create({
  model: process.argv[2] ?? 'claude-haiku-4-5',
  max_tokens: 8192,
  messages: [{ role: 'user', content: process.argv[3] ?? 'hello' }],
  stream: true,
});
for await (const event of stream) {
  if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') process.stdout.write(event.delta.text);
}
process.stdout.write('\n');
