// The floor for `llmo batch run`: a one-file script sending each line of a JSONL file's prompts
// with the raw SDK (not streamed), at most CONCURRENCY at once.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const [file, concurrency = '16'] = process.argv.slice(2);
const prompts = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line).prompt);
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 });
let next = 0;
async function worker() {
  while (next < prompts.length) {
    const prompt = prompts[next++];
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
