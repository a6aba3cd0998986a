/**
 * A process that saves conversations as fast as it can, for the index crash test: bundled by
 * the test with esbuild, started beside others, and SIGKILLed at a random moment — often in the
 * middle of a save. Each round starts a conversation, continues one, or deletes one, so the
 * index sees every kind of change. Prints a line per committed save.
 * argv: conversations directory, a seed (so writers do not all pick the same conversation).
 */
import { appendExchange, createConversation } from '../../src/conversations/index.js';
import { createConversationStore } from '../../src/conversations/store.js';

const [directory, seedText] = process.argv.slice(2) as [string, string];
let seed = Number(seedText) || 1;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const reply = (text: string) => ({
  provider: 'anthropic',
  modelId: 'claude-sonnet-4-5',
  text,
  finishReason: 'stop' as const,
  usage: { inputTokens: 10, outputTokens: 20 },
  costUsd: 0.001,
  durationMs: 5,
  status: 'ok' as const,
});

for (let round = 1; ; round += 1) {
  const store = createConversationStore(directory);
  const { conversations } = await store.list();
  const pick = conversations[Math.floor(random() * conversations.length)];
  const roll = random();
  try {
    if (!pick || roll < 0.4) {
      await store.save(
        appendExchange(createConversation({ origin: 'ask', model: 'sonnet' }), { prompt: `new ${round}`, reply: reply('a') }),
      );
    } else if (roll < 0.9) {
      const loaded = await store.load(pick.id);
      await store.save(appendExchange(loaded, { prompt: `more ${round}`, reply: reply('b') }));
    } else {
      await store.remove(pick.id);
    }
  } catch {
    // Another writer deleted the one picked: pick again.
  }
  process.stdout.write(`${round}\n`);
}
