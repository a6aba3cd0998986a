// What the same chain costs without llmo: N calls in a row through the raw SDK, each sent the
// previous answer, as a chain's steps are (the floor of the chain row's second comparison).
import OpenAI from 'openai';

const steps = Number(process.argv[2] ?? 50);
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 });
let previous = process.argv[3] ?? 'hello';
for (let step = 0; step < steps; step += 1) {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: previous }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  previous = text;
}
process.stdout.write(`${previous}\n`);
