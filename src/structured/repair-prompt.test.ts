import { describe, expect, it } from 'vitest';
import type { Message } from '../providers/spec.js';
import { messageText } from '../providers/spec.js';
import { repairMessages } from './repair-prompt.js';

const conversation: Message[] = [{ role: 'user', content: 'Extract the person' }];

describe('repairMessages', () => {
  it('sends back the invalid reply and each problem with its path, asking for JSON only', () => {
    const messages = repairMessages(conversation, '{"name": "Ada"}', {
      kind: 'invalid',
      issues: [{ path: '/', message: "must have required property 'age'" }],
    });
    expect(messages.slice(0, 2)).toEqual([conversation[0], { role: 'assistant', content: '{"name": "Ada"}' }]);
    expect(messages[2]).toEqual({
      role: 'user',
      content:
        "Your reply does not match the required JSON Schema:\n- /: must have required property 'age'\n\nReply with the corrected JSON only: no explanation, no code fence.",
    });
  });

  it('lists at most 20 problems', () => {
    const issues = Array.from({ length: 25 }, (_, index) => ({ path: `/items/${index}`, message: 'must be string' }));
    const text = messageText(repairMessages(conversation, '{}', { kind: 'invalid', issues })[2]!);
    expect(text.match(/^- \/items\//gm)).toHaveLength(20);
    expect(text).toContain('- … and 5 more');
  });

  it('says when the reply could not be read as JSON at all', () => {
    const problem = 'the reply holds no JSON object or array';
    const text = messageText(repairMessages(conversation, 'Sure!', { kind: 'unparsable', problem })[2]!);
    expect(text).toMatch(/^Your reply could not be read as JSON \(the reply holds no JSON object or array\)\./);
  });
});
