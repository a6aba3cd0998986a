// The floor for `llmo ask -m mistral`: a one-file script streaming a reply with the raw SDK,
// imported the way its README shows.
import { Mistral } from '@mistralai/mistralai';

const client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY, serverURL: process.env.MISTRAL_BASE_URL });
const stream = await client.chat.stream({
  model: process.argv[2] ?? 'mistral-small-latest',
  messages: [{ role: 'user', content: process.argv[3] ?? 'hello' }],
});
for await (const event of stream) {
  const content = event.data.choices[0]?.delta?.content;
  if (typeof content === 'string') process.stdout.write(content);
}
process.stdout.write('\n');
