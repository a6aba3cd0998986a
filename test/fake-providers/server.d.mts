// Types for server.mjs, so TypeScript tests can drive the fake providers.
export type FakeProvider = 'openai' | 'anthropic' | 'gemini' | 'mistral' | 'deepseek' | 'compat';

export interface FakeScenario {
  text?: string;
  words?: number;
  reasoning?: string;
  chunkDelayMs?: number;
  firstChunkDelayMs?: number;
  /** 'stop' or 'length' in each vendor's words; the OpenAI-protocol and Mistral fakes send any other value as the wire's finish_reason. */
  finishReason?: 'stop' | 'length' | (string & {});
  usage?: { inputTokens?: number; outputTokens?: number; cachedInputTokens?: number; reasoningTokens?: number };
  error?: { status: number; variant?: string; retryAfterSeconds?: number; retryAfterMs?: number };
  cutAfterChunks?: number;
  midstreamError?: boolean;
  /** Reply with these tool calls in one step, in the vendor's recorded shape; `name` is the wire name. */
  toolCalls?: Array<{ id?: string; name: string; arguments: Record<string, unknown> }>;
  /** Answer with this recording of the provider's vendor verbatim (e.g. 'sse_functionCall'). */
  replay?: string;
  /** Embeddings endpoint: these vectors instead of the deterministic ones. */
  embeddings?: number[][];
}

export interface RecordedRequest {
  provider: FakeProvider;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: any vendor's request body, as the SDK sent it
  body: any;
  stream: boolean;
  aborted: boolean;
  completed: boolean;
  /** Requests in flight (this one included) when it arrived, across every provider. */
  inFlight: number;
}

export interface FakeProviders {
  baseURLs: Record<FakeProvider, string>;
  requests: RecordedRequest[];
  enqueue(provider: FakeProvider, ...scenarios: FakeScenario[]): void;
  setDefault(provider: FakeProvider, scenario: FakeScenario): void;
  requestsFor(provider: FakeProvider): RecordedRequest[];
  reset(): void;
  env(): Record<string, string>;
  close(): Promise<void>;
}

export const PROVIDERS: readonly FakeProvider[];
export function startFakeProviders(options?: {
  providers?: readonly FakeProvider[];
  port?: Partial<Record<FakeProvider, number>>;
}): Promise<FakeProviders>;
export function generateWords(count: number): string;
export function replyText(provider: string, model: string, scenario: FakeScenario): string;
export function chunkText(text: string, wordsPerChunk?: number): string[];
export function countTokens(text: string): number;
export function chatCompletionsPromptText(body: unknown): string;
export function usageFor(
  promptText: string,
  reply: string,
  scenario: FakeScenario,
): { inputTokens: number; outputTokens: number; cachedInputTokens: number; reasoningTokens: number };
export function sleep(ms: number): Promise<void>;
// biome-ignore lint/suspicious/noExplicitAny: the server's internal request context
export function writeStream(ctx: any, frames: string[], options?: { contentFrames?: number; firstContentIndex?: number }): Promise<boolean>;
// biome-ignore lint/suspicious/noExplicitAny: a node:http ServerResponse or the server's wrapper
export function sendBody(res: any, status: number, headers: Record<string, string>, body: unknown): void;
