/** Conversations: the model (pure functions over the file format) and the JSON file store. */
export * from './conversation.js';
export * from './append-exchange.js';
export * from './to-model-messages.js';
export * from './conversation-usage.js';
export * from './fork-conversation.js';
export * from './conversation-id.js';
export {
  createConversationStore,
  serialize,
  summarize,
  type ConversationStore,
  type ConversationSummary,
  type SaveResult,
  type StoreProblem,
} from './store.js';
export { parseConversation, CorruptConversation } from './parse-conversation.js';
export { toMarkdown, toTranscript, replySummary, incompleteNote, type FormatUsd } from './format-conversation.js';
export { writeFileAtomic } from '../fs/atomic-write.js';
