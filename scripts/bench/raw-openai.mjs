// The floor for `llmo ask -m openai`: a one-file script streaming a reply with the raw SDK.
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 });
const stream = await client.chat.completions.create({
  model: process.argv[2] ?? 'gpt-4o-mini',
  messages: [{ role: 'user', content: process.argv[3] ?? 'hello' }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  const text = chunk.choices[0]?.delta?.content;
  if (text) process.stdout.write(text);
}
process.stdout.write('\n');
