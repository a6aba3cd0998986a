// The floor for `llmo ask -m gemini`: a one-file script streaming a reply with the raw SDK.
import { GoogleGenAI } from '@google/genai';

const client = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY, httpOptions: { baseUrl: process.env.GEMINI_BASE_URL } });
const stream = await client.models.generateContentStream({
  model: process.argv[2] ?? 'gemini-2.5-flash',
  contents: process.argv[3] ?? 'hello',
});
for await (const chunk of stream) {
  const text = chunk.text;
  if (text) process.stdout.write(text);
}
process.stdout.write('\n');
