import type Anthropic from '@anthropic-ai/sdk';

/** A finished thinking block as the API wants it back: with its signature, or redacted. */
export type AnthropicThinkingBlock = Anthropic.ThinkingBlockParam | Anthropic.RedactedThinkingBlockParam;

/**
 * The `providerMetadata` of the first tool call of a reply that thought first. With extended
 * thinking on, the API refuses a tool-result follow-up unless the assistant turn repeats its
 * thinking blocks unchanged, so they travel with the call the way Gemini's thoughtSignature does.
 */
export function thinkingMetadata(blocks: readonly AnthropicThinkingBlock[]): { providerMetadata?: Record<string, unknown> } {
  return blocks.length > 0 ? { providerMetadata: { anthropic: { thinking: [...blocks] } } } : {};
}

/** The thinking blocks a tool call carries back, or none (a call from another vendor, or no thinking). */
export function thinkingBlocksOf(providerMetadata: Record<string, unknown> | undefined): AnthropicThinkingBlock[] {
  const anthropic = providerMetadata?.anthropic as { thinking?: unknown } | undefined;
  if (!Array.isArray(anthropic?.thinking)) return [];
  return anthropic.thinking.filter(
    (block): block is AnthropicThinkingBlock =>
      (block?.type === 'thinking' && typeof block.thinking === 'string' && typeof block.signature === 'string') ||
      (block?.type === 'redacted_thinking' && typeof block.data === 'string'),
  );
}
