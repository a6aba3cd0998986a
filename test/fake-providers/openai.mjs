// The OpenAI chat-completions protocol, for providers `openai`, `deepseek` and `compat` (a generic
// OpenAI-compatible server such as Ollama, vLLM or LM Studio), as the real APIs spoke it in the
// recordings under ../shared/wire/openai and ../shared/wire/deepseek. Error bodies are replayed
// byte for byte from ./recordings/openai and ./recordings/deepseek.
//
//   POST /v1/chat/completions       JSON, or SSE when body.stream (DeepSeek also without /v1)
//   POST /v1/embeddings             openai and compat (DeepSeek has none): float arrays, or base64
//                                   little-endian float32 when encoding_format is "base64"
//   GET  /v1/models                 the recorded model list (DeepSeek also without /v1)
//
// Scenario fields beyond text/usage/errors (see server.mjs): `toolCalls` answers with those calls
// in the recorded tool_calls shape (streamed by index: a naming chunk, then argument fragments);
// `replay` answers with a recording verbatim; `embeddings` sets the vectors.
//
// What the recordings fix, and this module copies:
// - SSE frames `data: {json}\n\n`, no `event:` lines, ending `data: [DONE]\n\n`.
// - The first chunk's delta is {role:"assistant",content:"",refusal:null} (OpenAI) or
//   {role:"assistant",content:""} (DeepSeek); the finish chunk has delta {} (OpenAI) or
//   {content:""} (DeepSeek) and the finish_reason.
// - OpenAI: every chunk carries a random `obfuscation` string. With stream_options.include_usage
//   every chunk has "usage":null and one extra `choices:[]` chunk carries the usage; without it no
//   chunk has a `usage` key and no usage is sent at all.
// - DeepSeek: UUID ids, `reasoning_content` deltas before `content`, and the usage on the finish
//   chunk whether or not include_usage was asked for (with prompt_cache_hit/miss_tokens). Its
//   request id travels in `x-ds-trace-id`; there is no `x-request-id`.
// - Errors are {"error":{message,type,param,code}} with a non-2xx status, even for stream
//   requests; DeepSeek's context-length 400 is sent as application/octet-stream and its 422 is
//   plain text.
// - A failure inside a 200 stream is a `data: {"error":{…}}` frame, followed (as recorded) by a
//   zero-usage chunk and [DONE].
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chatCompletionsPromptText, chunkText, countTokens, replyText, sendBody, sleep, usageFor, writeStream } from './server.mjs';

const recordingCache = new Map();

/** A recorded body from ./recordings/<vendor>/, byte for byte. */
function recording(vendor, name) {
  const key = `${vendor}/${name}`;
  if (!recordingCache.has(key)) recordingCache.set(key, readFileSync(new URL(`./recordings/${key}`, import.meta.url)));
  return recordingCache.get(key);
}

/** The recorded response headers worth replaying: no hop-by-hop, cookie, CDN or placeholder values. */
function recordedHeaders(vendor, name) {
  const meta = JSON.parse(recording(vendor, name.replace(/\.(json|txt|sse)$/, '.meta.json')).toString('utf8'));
  const skip =
    /^(content-length|connection|transfer-encoding|content-encoding|date|server|set-cookie|vary|alt-svc|via|strict-transport-security|access-control-.*|x-request-id|x-ds-trace-id|x-amz-.*|x-cache|cf-.*|x-envoy-.*|x-openai-proxy-wasm|openai-organization|openai-project)$/;
  const headers = {};
  for (const [name, value] of Object.entries(meta.response.headers)) {
    const lower = name.toLowerCase();
    if (skip.test(lower) || typeof value !== 'string' || value.includes('<')) continue;
    headers[lower] = value;
  }
  return headers;
}

/**
 * The recorded error replayed for a status (`status:variant` first). DeepSeek has its own 400, 401
 * and 422; for the statuses nobody recorded from DeepSeek it shares OpenAI's envelope and bodies.
 */
const RECORDED_ERRORS = {
  openai: {
    400: { vendor: 'openai', file: 'error_400_invalid_function_parameters.json' },
    401: { vendor: 'openai', file: 'error_401_invalid_api_key.json' },
    404: { vendor: 'openai', file: 'error_404_model_not_found_stream_request.json', modelInMessage: 'this-model-does-not-exist-12345' },
    429: { vendor: 'openai', file: 'error_429_rate_limit_exceeded_tokens.json' },
    '429:insufficient_quota': { vendor: 'openai', file: 'error_429_insufficient_quota.json' },
    500: { vendor: 'openai', file: 'error_500_server_error.json' },
  },
  deepseek: {
    400: { vendor: 'deepseek', file: 'error_400_context_length_octet_stream.json' },
    401: { vendor: 'deepseek', file: 'error_401_authentication_fails.json' },
    422: { vendor: 'deepseek', file: 'error_422_plain_text.txt' },
  },
};

/**
 * Not recorded, but the same envelope: OpenAI's documented 403 and 503 messages, and a generic
 * one for any other status a test asks for.
 */
function unrecordedError(status) {
  const known = {
    403: {
      message: 'Country, region, or territory not supported',
      type: 'request_forbidden',
      code: 'unsupported_country_region_territory',
    },
    503: { message: 'The server is overloaded or not ready yet.', type: 'server_error', code: null },
  };
  const error = known[status] ?? {
    message: `fake ${status} error`,
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
  };
  return `${JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: error.code } }, null, 2)}\n`;
}

let requestCount = 0;

/** Response headers naming the request, the way each vendor does it. */
function requestIdHeaders(provider) {
  requestCount += 1;
  if (provider === 'deepseek') return { 'x-ds-trace-id': randomBytes(16).toString('hex') };
  return { 'x-request-id': `req_fake_${requestCount}` };
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length) {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return text;
}

/** OpenAI completion ids: `chatcmpl-` and 29 letters or digits; DeepSeek's are UUIDs. */
function completionId(provider) {
  return provider === 'deepseek' ? randomUUID() : `chatcmpl-${randomAlphanumeric(29)}`;
}

/** OpenAI pads each chunk with 1–15 random characters so chunk sizes do not leak token lengths. */
function obfuscation() {
  return randomAlphanumeric(1 + Math.floor(Math.random() * 15));
}

const DEEPSEEK_FINGERPRINT = 'fp_8b330d02d0_prod0820_fp8_kvcache_20260402';

/** Usage in each vendor's wire shape, from usageFor()'s numbers. */
function wireUsage(provider, usage, { reasoning }) {
  const common = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  if (provider === 'deepseek') {
    return {
      ...common,
      prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
      // Recorded only in thinking mode.
      ...(reasoning ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } } : {}),
      prompt_cache_hit_tokens: usage.cachedInputTokens,
      prompt_cache_miss_tokens: usage.inputTokens - usage.cachedInputTokens,
    };
  }
  return {
    ...common,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** What OpenAI's zero-usage chunk after a mid-stream error holds. */
const ZERO_USAGE = wireUsage('openai', { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 }, {});

function isChatPath(provider, pathname) {
  if (pathname === '/v1/chat/completions') return true;
  return provider === 'deepseek' && pathname === '/chat/completions';
}

function isModelsPath(provider, pathname) {
  if (pathname === '/v1/models') return true;
  return provider === 'deepseek' && pathname === '/models';
}

function isEmbeddingsPath(provider, pathname) {
  return provider !== 'deepseek' && pathname === '/v1/embeddings';
}

/** The vendor whose recordings a provider replays: DeepSeek its own, the others OpenAI's. */
function recordingVendor(provider) {
  return provider === 'deepseek' ? 'deepseek' : 'openai';
}

export async function handle(ctx) {
  const { provider, req, res, url, scenario } = ctx;
  if (scenario.replay) {
    ctx.record.stream = ctx.body?.stream === true;
    return replayRecording(ctx, scenario.replay);
  }
  if (req.method === 'POST' && isChatPath(provider, url.pathname)) return chatCompletions(ctx);
  if (req.method === 'POST' && isEmbeddingsPath(provider, url.pathname)) return createEmbeddings(ctx);
  if (req.method === 'GET' && isModelsPath(provider, url.pathname)) return listModels(ctx);
  if (
    provider === 'openai' &&
    (url.pathname === '/v1/files' || url.pathname.startsWith('/v1/files/') || url.pathname.startsWith('/v1/batches'))
  ) {
    const answered = batchRoute(ctx);
    if (answered) return answered;
  }
  // Not recorded here; this is the envelope and wording OpenAI uses for an unknown route.
  const body = JSON.stringify(
    {
      error: {
        message: `Invalid URL (${req.method} ${url.pathname})`,
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    },
    null,
    2,
  );
  return sendBody(res, 404, { 'content-type': 'application/json', ...requestIdHeaders(provider) }, `${body}\n`);
}

/** A recording of the provider's vendor, byte for byte, with its recorded status and headers. */
async function replayRecording(ctx, name) {
  const { provider, res, scenario } = ctx;
  const vendor = recordingVendor(provider);
  const file = ['.json', '.sse', '.txt', '.jsonl']
    .map((extension) => `${name}${extension}`)
    .find((candidate) => {
      try {
        recording(vendor, candidate);
        return true;
      } catch {
        return false;
      }
    });
  if (!file) throw new Error(`no recording ${vendor}/${name}`);
  const meta = JSON.parse(recording(vendor, `${name}.meta.json`).toString('utf8'));
  const body = recording(vendor, file);
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  if (ctx.closed) return;
  res.writeHead(meta.response.status, {
    ...recordedHeaders(vendor, file),
    'content-length': body.byteLength,
    ...requestIdHeaders(provider),
  });
  res.end(body);
}

/** The recorded lists (models_list): OpenAI's with `created`, DeepSeek's with id and owner only. */
async function listModels(ctx) {
  const { provider, res, scenario } = ctx;
  if (scenario.error) return sendError(ctx, scenario.error);
  const body = recording(recordingVendor(provider), 'models_list.json');
  return sendBody(res, 200, { 'content-type': 'application/json', ...requestIdHeaders(provider) }, body.toString('utf8'));
}

/** Eight deterministic float32 values for a text (or `dimensions` of them). */
function deterministicVector(text, dimensions) {
  let seed = 0;
  for (const character of text) seed = (seed * 31 + character.codePointAt(0)) % 1_000_003;
  return Array.from({ length: dimensions }, (_, i) => Math.fround(Math.sin(seed + i) / 10));
}

function float32Base64(vector) {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [i, value] of vector.entries()) bytes.writeFloatLE(value, i * 4);
  return bytes.toString('base64');
}

/**
 * The embeddings shape of `embeddings` / `embeddings_multi_dimensions` (float arrays, no
 * encoding_format) and `embeddings_base64` (base64 strings when asked for).
 */
async function createEmbeddings(ctx) {
  const { provider, res, body, scenario } = ctx;
  if (scenario.error) return sendError(ctx, scenario.error);
  const inputs = typeof body?.input === 'string' ? [body.input] : Array.isArray(body?.input) ? body.input : [];
  const dimensions = typeof body?.dimensions === 'number' ? body.dimensions : 8;
  const base64 = body?.encoding_format === 'base64';
  const data = inputs.map((input, index) => {
    const vector = scenario.embeddings?.[index] ?? deterministicVector(String(input), dimensions);
    return { object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector };
  });
  const promptTokens = scenario.usage?.inputTokens ?? inputs.reduce((total, input) => total + countTokens(String(input)), 0);
  const model = typeof body?.model === 'string' ? body.model : 'text-embedding-3-small';
  const text = `${JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }, null, 2)}\n`;
  return sendBody(res, 200, successHeaders(provider, 'application/json'), text);
}

async function sendError(ctx, error) {
  const { provider, res, scenario, body: requestBody } = ctx;
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  if (ctx.closed) return;
  const table = { ...RECORDED_ERRORS.openai, ...(provider === 'deepseek' ? RECORDED_ERRORS.deepseek : {}) };
  const recorded = table[`${error.status}:${error.variant}`] ?? table[error.status];

  let headers;
  let body;
  if (recorded) {
    headers = recordedHeaders(recorded.vendor, recorded.file);
    body = recording(recorded.vendor, recorded.file);
    if (recorded.modelInMessage && typeof requestBody?.model === 'string') {
      // The recorded 404 names the model it was asked for; name the one this request asked for.
      const model = JSON.stringify(requestBody.model).slice(1, -1).replaceAll('`', "'");
      body = body.toString('utf8').replace(recorded.modelInMessage, model);
    }
  } else {
    headers = { 'content-type': 'application/json; charset=utf-8' };
    body = unrecordedError(error.status);
  }
  // The recorded 429s carry no retry-after; add one only when a test asks for it.
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  res.writeHead(error.status, {
    ...headers,
    'content-length': Buffer.byteLength(body),
    ...requestIdHeaders(provider),
  });
  res.end(body);
}

/**
 * What the vendor says to a body it cannot use. Not recorded: OpenAI's documented wording, and
 * DeepSeek's (an axum server) the same plain-text form as its recorded 422.
 */
function rejectMalformedBody(ctx) {
  const { provider, res, body } = ctx;
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  if (isObject && Array.isArray(body.messages)) return false;
  if (provider === 'deepseek') {
    const text = isObject
      ? 'Failed to deserialize the JSON body into the target type: missing field `messages` at line 1 column 1'
      : 'Failed to parse the request body as JSON: expected value at line 1 column 1';
    sendBody(res, 422, { 'content-type': 'text/plain; charset=utf-8', ...requestIdHeaders(provider) }, text);
    return true;
  }
  const error = isObject
    ? {
        message: "Missing required parameter: 'messages'.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'missing_required_parameter',
      }
    : {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        type: 'invalid_request_error',
        param: null,
        code: null,
      };
  sendBody(
    res,
    400,
    { 'content-type': 'application/json; charset=utf-8', ...requestIdHeaders(provider) },
    `${JSON.stringify({ error }, null, 4)}\n`,
  );
  return true;
}

async function chatCompletions(ctx) {
  const { provider, body, scenario, record } = ctx;
  record.stream = body?.stream === true;
  if (scenario.error) return sendError(ctx, scenario.error);
  if (rejectMalformedBody(ctx)) return;

  const model = typeof body?.model === 'string' && body.model ? body.model : 'gpt-4o-mini';
  const toolCalls = wireToolCalls(provider, scenario.toolCalls);
  // A step of tool calls has no text unless the scenario gives some (DeepSeek's sometimes does).
  const reply = toolCalls && scenario.text === undefined ? '' : replyText(provider, model, scenario);
  // OpenAI's chat completions never stream reasoning; DeepSeek and compatible servers (vLLM)
  // send it as `reasoning_content`.
  const reasoning = provider === 'openai' ? undefined : scenario.reasoning || undefined;
  const usage = wireUsage(provider, usageFor(chatCompletionsPromptText(body), reply, scenario), { reasoning });
  const finishReason = scenario.finishReason ?? (toolCalls ? 'tool_calls' : 'stop');
  const completion = {
    id: completionId(provider),
    created: Math.floor(Date.now() / 1000),
    model,
    reply,
    reasoning,
    usage,
    finishReason,
    toolCalls,
  };

  if (!record.stream) return sendCompletion(ctx, completion);
  return streamCompletion(ctx, completion);
}

/**
 * A scenario's tool calls with ids in the vendor's style: OpenAI `call_` and 24 letters or digits,
 * DeepSeek `call_00_` and 24 (the position in the step, two digits). Undefined without calls.
 */
function wireToolCalls(provider, calls) {
  if (!Array.isArray(calls) || calls.length === 0) return undefined;
  return calls.map((call, index) => ({
    id:
      call.id ??
      (provider === 'deepseek' ? `call_${String(index).padStart(2, '0')}_${randomAlphanumeric(24)}` : `call_${randomAlphanumeric(24)}`),
    name: call.name,
    arguments: JSON.stringify(call.arguments ?? {}),
  }));
}

/** A call as a non-streamed message carries it (DeepSeek numbers them with `index` too). */
function messageToolCall(provider, call, index) {
  const wire = { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
  return provider === 'deepseek' ? { index, ...wire } : wire;
}

/** Argument text in fragments of a few characters, as the recordings stream it. */
function argumentFragments(text) {
  const fragments = [];
  for (let i = 0; i < text.length; i += 5) fragments.push(text.slice(i, i + 5));
  return fragments;
}

function successHeaders(provider, contentType) {
  const headers = { 'content-type': contentType, ...requestIdHeaders(provider) };
  if (provider === 'openai') {
    Object.assign(headers, {
      'access-control-expose-headers': 'X-Request-ID',
      'openai-processing-ms': '120',
      'openai-version': '2020-10-01',
      'x-ratelimit-limit-requests': '5000',
      'x-ratelimit-remaining-requests': '4999',
    });
  }
  return headers;
}

async function sendCompletion(ctx, { id, created, model, reply, reasoning, usage, finishReason, toolCalls }) {
  const { provider, res, scenario } = ctx;
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  if (ctx.closed) return;
  const calls = toolCalls ? { tool_calls: toolCalls.map((call, index) => messageToolCall(provider, call, index)) } : {};
  if (provider === 'deepseek') {
    // Compact JSON, as recorded. reasoning_content is DeepSeek's documented thinking-mode field.
    const message = { role: 'assistant', content: reply, ...(reasoning ? { reasoning_content: reasoning } : {}), ...calls };
    return sendBody(res, 200, successHeaders(provider, 'application/json'), {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage,
      system_fingerprint: DEEPSEEK_FINGERPRINT,
    });
  }
  // As nonstream_parallel_tool_calls: content null beside the calls.
  const message = {
    role: 'assistant',
    content: toolCalls && !reply ? null : reply,
    ...(reasoning ? { reasoning_content: reasoning } : {}),
    ...calls,
    refusal: null,
    annotations: [],
  };
  // The server pretty-prints non-streamed bodies with two spaces.
  const text = JSON.stringify(
    {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, finish_reason: finishReason }],
      usage,
      service_tier: 'default',
      system_fingerprint: null,
    },
    null,
    2,
  );
  return sendBody(res, 200, successHeaders(provider, 'application/json'), text);
}

async function streamCompletion(ctx, { id, created, model, reply, reasoning, usage, finishReason, toolCalls }) {
  const { provider, res, body, scenario } = ctx;
  const deepseek = provider === 'deepseek';
  const includeUsage = body?.stream_options?.include_usage === true;

  /** One SSE frame in the vendor's key order; `usage` is the chunk's usage field when it has one. */
  const frame = (choices, chunkUsage) => {
    const chunk = deepseek
      ? { id, object: 'chat.completion.chunk', created, model, system_fingerprint: DEEPSEEK_FINGERPRINT, choices }
      : { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: null, choices };
    if (chunkUsage !== undefined) chunk.usage = chunkUsage;
    else if (includeUsage) chunk.usage = null;
    if (provider === 'openai') chunk.obfuscation = obfuscation();
    return `data: ${JSON.stringify(chunk)}\n\n`;
  };
  const choice = (delta, finish = null) =>
    deepseek ? [{ index: 0, delta, logprobs: null, finish_reason: finish }] : [{ index: 0, delta, finish_reason: finish }];

  const firstDelta = deepseek
    ? reasoning
      ? { role: 'assistant', content: null, reasoning_content: '' }
      : { role: 'assistant', content: '' }
    : toolCalls
      ? { role: 'assistant', content: null }
      : { role: 'assistant', content: '', refusal: null };
  const frames = [frame(choice(firstDelta))];
  const firstContentIndex = frames.length;

  if (reasoning) {
    for (const piece of chunkText(reasoning)) frames.push(frame(choice({ content: null, reasoning_content: piece })));
  }
  if (reply || !toolCalls) {
    for (const piece of chunkText(reply)) {
      frames.push(frame(choice(reasoning ? { content: piece, reasoning_content: null } : { content: piece })));
    }
  }
  // stream_parallel_tool_calls_include_usage: per call, a chunk naming it with empty arguments,
  // then the argument text in fragments under the same index.
  for (const [index, call] of (toolCalls ?? []).entries()) {
    frames.push(frame(choice({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] })));
    for (const piece of argumentFragments(call.arguments)) {
      frames.push(frame(choice({ tool_calls: [{ index, function: { arguments: piece } }] })));
    }
  }
  const contentFrames = frames.length - firstContentIndex;

  if (scenario.midstreamError) {
    // As recorded: the error frame after the first content chunk, a zero-usage chunk, [DONE].
    frames.splice(firstContentIndex + 1);
    frames.push(midstreamErrorFrame());
    if (includeUsage) frames.push(frame([], ZERO_USAGE));
  } else if (deepseek) {
    const finalDelta = reasoning ? { content: '', reasoning_content: null } : { content: '' };
    frames.push(frame(choice(finalDelta, finishReason), usage));
  } else {
    frames.push(frame(choice({}, finishReason)));
    if (includeUsage) frames.push(frame([], usage));
  }
  frames.push('data: [DONE]\n\n');

  res.writeHead(200, {
    ...successHeaders(provider, 'text/event-stream; charset=utf-8'),
    ...(deepseek ? { 'cache-control': 'no-cache' } : {}),
  });
  res.flushHeaders();
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  await writeStream(ctx, frames, { firstContentIndex, contentFrames: scenario.midstreamError ? 1 : contentFrames });
}

/** The `data: {"error":…}` frame of stream_midstream_error.sse, byte for byte. */
function midstreamErrorFrame() {
  const recorded = recording('openai', 'stream_midstream_error.sse').toString('utf8');
  const line = recorded.split('\n').find((candidate) => candidate.startsWith('data: {"error"'));
  return `${line}\n\n`;
}

// ---------------------------------------------------------------------------------------------
// Batches (files_upload_batch, batch_create, batch_retrieve_*, batch_output_file_content): a
// batch is in_progress at its first retrieve and completed from the second on; a cancelled one
// is cancelling until its next retrieve, then cancelled. Output lines answer each uploaded line
// with the chat completion a single request would get.

const files = new Map();
const batches = new Map();

function recordedJson(name) {
  return JSON.parse(recording('openai', name).toString('utf8'));
}

function batchRoute(ctx) {
  const { req, url } = ctx;
  const parts = url.pathname.split('/').filter(Boolean);
  if (req.method === 'POST' && url.pathname === '/v1/files') return uploadFile(ctx);
  if (req.method === 'GET' && parts[1] === 'files' && parts[3] === 'content') return fileContent(ctx, parts[2]);
  if (req.method === 'POST' && url.pathname === '/v1/batches') return createBatch(ctx);
  if (req.method === 'GET' && parts[1] === 'batches' && parts.length === 3) return retrieveBatch(ctx, parts[2]);
  if (req.method === 'POST' && parts[1] === 'batches' && parts[3] === 'cancel') return cancelBatch(ctx, parts[2]);
  return undefined;
}

/** The `file` part of a multipart body. */
function multipartFile(raw, contentType) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  const delimiter = `--${boundary?.[1] ?? boundary?.[2]}`;
  for (const part of String(raw).split(delimiter)) {
    if (!/name="file"/.test(part)) continue;
    const start = part.indexOf('\r\n\r\n');
    return { filename: /filename="([^"]*)"/.exec(part)?.[1] ?? 'upload.jsonl', content: part.slice(start + 4).replace(/\r\n$/, '') };
  }
  return undefined;
}

async function uploadFile(ctx) {
  const { req, res, body } = ctx;
  const file = multipartFile(body, req.headers['content-type']);
  if (!file)
    return sendBody(
      res,
      400,
      { 'content-type': 'application/json' },
      { error: { message: 'missing file', type: 'invalid_request_error', param: 'file', code: null } },
    );
  const id = `file-${randomAlphanumeric(22)}`;
  files.set(id, file.content);
  const created = Math.floor(Date.now() / 1000);
  const recorded = recordedJson('files_upload_batch.json');
  return sendBody(
    res,
    200,
    successHeaders('openai', 'application/json'),
    JSON.stringify(
      {
        ...recorded,
        id,
        filename: file.filename,
        bytes: Buffer.byteLength(file.content),
        created_at: created,
        expires_at: created + 2592000,
      },
      null,
      2,
    ),
  );
}

function batchObject(batch, recordingName, changes) {
  return JSON.stringify(
    { ...recordedJson(recordingName), id: batch.id, input_file_id: batch.inputFileId, endpoint: batch.endpoint, ...changes },
    null,
    2,
  );
}

async function createBatch(ctx) {
  const { res, body } = ctx;
  const content = files.get(body?.input_file_id);
  if (content === undefined)
    return sendBody(
      res,
      400,
      { 'content-type': 'application/json' },
      {
        error: {
          message: `Invalid 'input_file_id': '${body?.input_file_id}'.`,
          type: 'invalid_request_error',
          param: 'input_file_id',
          code: null,
        },
      },
    );
  const lines = content
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const batch = {
    id: `batch_${randomBytes(16).toString('hex')}`,
    inputFileId: body.input_file_id,
    endpoint: body.endpoint,
    lines,
    retrieved: 0,
    cancelled: false,
    outputFileId: undefined,
  };
  batches.set(batch.id, batch);
  return sendBody(res, 200, successHeaders('openai', 'application/json'), batchObject(batch, 'batch_create.json', {}));
}

function batchNotFound(res, id) {
  const error = { message: `No batch found with id '${id}'.`, type: 'invalid_request_error', param: null, code: null };
  return sendBody(res, 404, { 'content-type': 'application/json' }, { error });
}

async function retrieveBatch(ctx, id) {
  const { res } = ctx;
  const batch = batches.get(id);
  if (!batch) return batchNotFound(res, id);
  batch.retrieved += 1;
  const total = batch.lines.length;
  if (batch.cancelled) {
    return sendBody(
      res,
      200,
      successHeaders('openai', 'application/json'),
      batchObject(batch, 'batch_retrieve_in_progress.json', { status: 'cancelled', request_counts: { total, completed: 0, failed: 0 } }),
    );
  }
  if (batch.retrieved < 2) {
    return sendBody(
      res,
      200,
      successHeaders('openai', 'application/json'),
      batchObject(batch, 'batch_retrieve_in_progress.json', { request_counts: { total, completed: 0, failed: 0 } }),
    );
  }
  batch.outputFileId ??= outputFile(batch);
  return sendBody(
    res,
    200,
    successHeaders('openai', 'application/json'),
    batchObject(batch, 'batch_retrieve_completed.json', {
      output_file_id: batch.outputFileId,
      request_counts: { total, completed: total, failed: 0 },
    }),
  );
}

/** The output file: one line per request, as batch_output_file_content.jsonl has them. */
function outputFile(batch) {
  const lines = batch.lines.map((line) => {
    const model = line.body?.model ?? 'gpt-4o-mini';
    const reply = replyText('openai', model, {});
    const usage = wireUsage('openai', usageFor(chatCompletionsPromptText(line.body), reply, {}), {});
    const body = {
      id: completionId('openai'),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply, refusal: null, annotations: [] }, finish_reason: 'stop' }],
      usage,
      service_tier: 'default',
      system_fingerprint: null,
    };
    return JSON.stringify({
      id: `batch_req_${randomBytes(16).toString('hex')}`,
      custom_id: line.custom_id,
      response: { status_code: 200, request_id: randomUUID(), body },
      error: null,
    });
  });
  const id = `file-${randomAlphanumeric(22)}`;
  files.set(id, `${lines.join('\n')}\n`);
  return id;
}

async function fileContent(ctx, id) {
  const { res } = ctx;
  const content = files.get(id);
  if (content === undefined)
    return sendBody(
      res,
      404,
      { 'content-type': 'application/json' },
      { error: { message: `No such File object: ${id}`, type: 'invalid_request_error', param: 'id', code: null } },
    );
  return sendBody(res, 200, { ...recordedHeaders('openai', 'batch_output_file_content.json'), ...requestIdHeaders('openai') }, content);
}

async function cancelBatch(ctx, id) {
  const { res } = ctx;
  const batch = batches.get(id);
  if (!batch) return batchNotFound(res, id);
  batch.cancelled = true;
  const total = batch.lines.length;
  return sendBody(
    res,
    200,
    successHeaders('openai', 'application/json'),
    batchObject(batch, 'batch_retrieve_in_progress.json', { status: 'cancelling', request_counts: { total, completed: 0, failed: 0 } }),
  );
}
