import { describe, expect, it } from 'vitest';
import { appendExchange, createConversation, type Conversation } from '../../conversations/index.js';
import { compressionCut, nearsWindow } from './compress-history.js';

function talk(turns: number, words = 30): Conversation {
  let conversation = createConversation({ origin: 'chat', model: 'openai:gpt-4o-mini' });
  for (let turn = 1; turn <= turns; turn += 1) {
    conversation = appendExchange(conversation, {
      prompt: `question ${turn}`,
      reply: {
        provider: 'openai',
        modelId: 'gpt-4o-mini',
        text: 'word '.repeat(words).trim(),
        finishReason: 'stop',
        usage: undefined,
        costUsd: undefined,
        durationMs: 1,
        status: 'ok',
      },
    });
  }
  return conversation;
}

describe('compression', () => {
  it('is due past three quarters of the window, never without one', () => {
    const messages = [{ role: 'user' as const, content: 'x'.repeat(900) }];
    expect(nearsWindow(messages, 400)).toBe(true);
    expect(nearsWindow(messages, 4000)).toBe(false);
    expect(nearsWindow(messages, undefined)).toBe(false);
  });

  it('cuts at a prompt, keeping the recent turns that fit a third of the window and always the last', () => {
    const conversation = talk(6); // each turn ≈ 53 estimated tokens
    expect(compressionCut(conversation, 400)).toBe(8); // the last two turns kept
    expect(compressionCut(conversation, 0)).toBe(10); // on demand: all but the last
    expect(conversation.messages[compressionCut(conversation, 400)!]!.role).toBe('user');
  });

  it('summarises only what the last summary did not, and nothing when one turn is left', () => {
    const conversation: Conversation = {
      ...talk(3),
      compressed: { messages: 4, summary: 's', model: 'openai:gpt-4o-mini', created_at: '2025-06-01T00:00:00Z' },
    };
    expect(compressionCut(conversation, 0)).toBeUndefined();
    expect(compressionCut(talk(1), 0)).toBeUndefined();
    expect(compressionCut({ ...talk(4), compressed: conversation.compressed! }, 0)).toBe(6);
  });
});
