// A loopback HTTP server that speaks each vendor's real wire protocol, for tests and the bench.
// One listener per provider. Each vendor's protocol lives in its own module (openai.mjs, …) and
// follows the real recordings in ../shared/wire (copied under ./recordings where replayed).
//
// Control, in-process:   const fake = await startFakeProviders(); fake.enqueue('openai', { error: { status: 429 } });
// Control, out of process (node test/fake-providers/serve.mjs): POST /__fake/enqueue, GET /__fake/requests, POST /__fake/reset.
import http from 'node:http';

/**
 * @typedef {object} FakeScenario  What the next request to a provider gets. All fields optional.
 * @property {string} [text]              reply text (default: a deterministic sentence naming provider and model)
 * @property {number} [words]             generate a reply of this many words instead
 * @property {string} [reasoning]         reasoning/thinking text streamed before the reply, where the vendor has it
 * @property {number} [chunkDelayMs]      pause between streamed chunks
 * @property {number} [firstChunkDelayMs] pause before the first chunk (and before a non-streamed body)
 * @property {string} [finishReason]   'stop' or 'length' in each vendor's words; the OpenAI-protocol and Mistral modules send any other value as finish_reason
 * @property {{inputTokens?: number, outputTokens?: number, cachedInputTokens?: number, reasoningTokens?: number}} [usage] override reported usage
 * @property {{status: number, variant?: string, retryAfterSeconds?: number, retryAfterMs?: number}} [error] reply with the vendor's recorded error for this status
 * @property {number} [cutAfterChunks]    stream: destroy the connection after this many content chunks (no terminator)
 * @property {boolean} [midstreamError]   stream: send the vendor's in-stream error event after the first content chunk
 * @property {Array<{id?: string, name: string, arguments: Record<string, unknown>}>} [toolCalls]
 *           reply with these tool calls (in one step, in order) in the vendor's recorded shape, streamed
 *           as the vendor's recordings stream them; `name` is the name as the request's tools spelt it
 *           (the wire name), `id` defaults to the vendor's id style (Gemini sends none)
 * @property {string} [replay]            answer with this recording of the provider's vendor verbatim
 *           (e.g. 'stream_tool_use_parallel_with_args'): recorded body, status and headers
 * @property {number[][]} [embeddings]    embeddings endpoint: these vectors instead of the deterministic ones
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} provider
 * @property {string} method
 * @property {string} path         path and query
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {any} body            parsed JSON body (or the raw string)
 * @property {boolean} stream
 * @property {boolean} aborted     the client closed the connection before the response ended
 * @property {boolean} completed   the response was fully written
 * @property {number} inFlight      requests in flight (this one included) when it arrived, across every provider
 */

export const PROVIDERS = /** @type {const} */ (['openai', 'anthropic', 'gemini', 'mistral', 'deepseek', 'compat']);

/** Where each SDK expects its base URL to point (what `*_BASE_URL` should be set to). */
const BASE_PATH = { openai: '/v1', anthropic: '', gemini: '', mistral: '', deepseek: '', compat: '/v1' };

/** Which protocol module serves which provider. */
const PROTOCOL = { openai: 'openai', deepseek: 'openai', compat: 'openai', anthropic: 'anthropic', gemini: 'gemini', mistral: 'mistral' };

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const LOREM = (
  'the quick brown fox jumps over the lazy dog while a careful model streams tokens ' +
  'through a terminal and every word arrives in order without flicker or loss'
).split(' ');

/** A deterministic reply of `count` words. */
export function generateWords(count) {
  const words = [];
  for (let i = 0; i < count; i += 1) words.push(LOREM[i % LOREM.length]);
  return `${words.join(' ')}.`;
}

/** The reply text a scenario asks for. */
export function replyText(provider, model, scenario) {
  if (typeof scenario.text === 'string') return scenario.text;
  if (typeof scenario.words === 'number') return generateWords(scenario.words);
  return `Hello from fake ${provider} (${model}).`;
}

/** Splits text into stream chunks of about three words, keeping spaces, so joined they equal text. */
export function chunkText(text, wordsPerChunk = 3) {
  const pieces = text.match(/\s*\S+/g) ?? [text];
  const chunks = [];
  for (let i = 0; i < pieces.length; i += wordsPerChunk) chunks.push(pieces.slice(i, i + wordsPerChunk).join(''));
  if (chunks.length === 0) chunks.push('');
  return chunks;
}

/** A rough token count (≈ 4 characters a token) used for the usage the fake reports. */
export function countTokens(text) {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * The text of a chat-completions request's messages (OpenAI, DeepSeek, Mistral): string content,
 * or the text parts of content arrays.
 */
export function chatCompletionsPromptText(body) {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  return messages
    .map((message) => {
      if (typeof message?.content === 'string') return message.content;
      if (Array.isArray(message?.content)) return message.content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
      return '';
    })
    .join('\n');
}

/** Token usage for a request/reply pair, with scenario overrides. outputTokens includes reasoningTokens. */
export function usageFor(promptText, reply, scenario) {
  const reasoningTokens = scenario.usage?.reasoningTokens ?? (scenario.reasoning ? countTokens(scenario.reasoning) : 0);
  return {
    inputTokens: scenario.usage?.inputTokens ?? countTokens(promptText),
    // As the vendors bill it: output includes reasoning (Gemini's wire splits them; its module does that).
    outputTokens: scenario.usage?.outputTokens ?? countTokens(reply) + reasoningTokens,
    cachedInputTokens: scenario.usage?.cachedInputTokens ?? 0,
    reasoningTokens,
  };
}

/**
 * Writes a streamed body frame by frame, honouring the scenario's delays and cut.
 * `frames` are strings already framed by the vendor module; `contentFrameIndexes` marks which of them
 * carry content (cutAfterChunks counts those). Resolves false when the client went away.
 */
export async function writeStream(ctx, frames, { contentFrames = frames.length, firstContentIndex = 0 } = {}) {
  const { res, scenario } = ctx;
  let contentSent = 0;
  for (let i = 0; i < frames.length; i += 1) {
    if (ctx.closed) return false;
    const isContent = i >= firstContentIndex && i < firstContentIndex + contentFrames;
    if (i > 0 && scenario.chunkDelayMs) await sleep(scenario.chunkDelayMs);
    if (isContent && scenario.cutAfterChunks !== undefined && contentSent >= scenario.cutAfterChunks) {
      // Let what was written reach the client first, then drop the connection without a terminator.
      await new Promise((resolve) => res.write('', resolve));
      await sleep(10);
      res.socket?.destroy();
      return false;
    }
    res.write(frames[i]);
    if (isContent) contentSent += 1;
  }
  res.end();
  return true;
}

/** Sends a JSON (or raw) error/success body with headers. */
export function sendBody(res, status, headers, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const protocolModules = {};
async function protocol(name) {
  protocolModules[name] ??= await import(`./${name}.mjs`);
  return protocolModules[name];
}

/**
 * Starts one listener per provider on 127.0.0.1 (ephemeral ports).
 * @param {{ providers?: readonly string[], port?: Record<string, number> }} [options]
 */
export async function startFakeProviders(options = {}) {
  const providers = options.providers ?? PROVIDERS;
  /** @type {RecordedRequest[]} */
  const requests = [];
  /** @type {Record<string, FakeScenario[]>} */
  const queues = {};
  /** @type {Record<string, FakeScenario>} */
  const defaults = {};
  const servers = {};
  const baseURLs = {};
  const sockets = new Set();

  const fake = {
    baseURLs,
    requests,
    /** Queue scenarios for the next requests to `provider` (first in, first served). */
    enqueue(provider, ...scenarios) {
      queues[provider] ??= [];
      queues[provider].push(...scenarios);
    },
    /** The scenario used when the queue is empty. */
    setDefault(provider, scenario) {
      defaults[provider] = scenario;
    },
    requestsFor(provider) {
      return requests.filter((r) => r.provider === provider);
    },
    reset() {
      requests.length = 0;
      for (const key of Object.keys(queues)) delete queues[key];
      for (const key of Object.keys(defaults)) delete defaults[key];
    },
    /** `*_BASE_URL` variables pointing every provider at this server. */
    env() {
      return {
        OPENAI_BASE_URL: baseURLs.openai,
        ANTHROPIC_BASE_URL: baseURLs.anthropic,
        GEMINI_BASE_URL: baseURLs.gemini,
        MISTRAL_BASE_URL: baseURLs.mistral,
        DEEPSEEK_BASE_URL: baseURLs.deepseek,
      };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(Object.values(servers).map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };

  /** Requests whose response is not finished yet, across every provider. */
  let inFlight = 0;
  const handle = async (provider, req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/__fake/')) return control(fake, url, raw, res);
    let body = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep the raw text; the protocol module answers as the vendor would
    }
    const scenario = queues[provider]?.shift() ?? defaults[provider] ?? {};
    /** @type {RecordedRequest} */
    const record = {
      provider,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      headers: req.headers,
      body,
      stream: false,
      aborted: false,
      completed: false,
      inFlight: inFlight + 1,
    };
    inFlight += 1;
    requests.push(record);
    const ctx = { provider, req, res, url, body, scenario, record, closed: false };
    res.on('close', () => {
      inFlight -= 1;
      ctx.closed = true;
      if (!res.writableFinished) record.aborted = true;
    });
    res.on('finish', () => {
      record.completed = true;
    });
    try {
      const module = await protocol(PROTOCOL[provider]);
      await module.handle(ctx);
    } catch (error) {
      if (!res.headersSent) sendBody(res, 500, { 'content-type': 'text/plain' }, `fake provider bug: ${error?.stack ?? error}`);
      else res.destroy();
    }
  };

  for (const provider of providers) {
    const server = http.createServer((req, res) => void handle(provider, req, res));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise((resolve) => server.listen(options.port?.[provider] ?? 0, '127.0.0.1', resolve));
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    servers[provider] = server;
    baseURLs[provider] = `http://127.0.0.1:${port}${BASE_PATH[provider]}`;
  }
  return fake;
}

/** The out-of-process control API, served on every listener under /__fake/. */
function control(fake, url, raw, res) {
  const json = (status, value) => sendBody(res, status, { 'content-type': 'application/json' }, value);
  const payload = raw ? JSON.parse(raw) : {};
  switch (url.pathname) {
    case '/__fake/enqueue':
      fake.enqueue(payload.provider, ...(payload.scenarios ?? []));
      return json(200, { ok: true });
    case '/__fake/default':
      fake.setDefault(payload.provider, payload.scenario ?? {});
      return json(200, { ok: true });
    case '/__fake/requests':
      return json(
        200,
        fake.requests.map(({ headers, ...rest }) => rest),
      );
    case '/__fake/reset':
      fake.reset();
      return json(200, { ok: true });
    default:
      return json(404, { error: 'unknown control path' });
  }
}
