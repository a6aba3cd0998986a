// The floor for the chat's streaming CPU: what a raw SDK loop costs once node is up, from loading
// the SDK to the last chunk written (the chat, too, loads its SDK with the first message).
// Writes the CPU milliseconds (user + system) of that span to the file named by BENCH_CPU_FILE.
import { writeFileSync } from 'node:fs';

const before = process.cpuUsage();
const { default: OpenAI } = await import('openai');
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
const used = process.cpuUsage(before);
if (process.env.BENCH_CPU_FILE) writeFileSync(process.env.BENCH_CPU_FILE, String((used.user + used.system) / 1000));
