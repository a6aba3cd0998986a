// Mistral's chat-completions protocol, as the real API spoke it in the recordings under
// ../shared/wire/mistral (error bodies replayed byte for byte from ./recordings/mistral).
//
//   POST /v1/chat/completions   JSON, or SSE when body.stream
//   GET  /v1/models             a short model list (what a cheap key check calls)
//
// What the recordings fix, and this module copies:
// - SSE frames `data: {json}\n\n`, ending `data: [DONE]\n\n`, `text/event-stream; charset=utf-8`.
// - Every chunk after the first carries a random-length `"p":"abc…"` padding field.
// - finish_reason and usage arrive together on the last content chunk; there is no usage chunk
//   and no stream_options.
// - Reasoning turns `delta.content` from a string into an array of thinking/text parts, and back.
// - Errors are plain JSON with a non-2xx status, even for stream requests.
// - `mistral-correlation-id` and `x-kong-request-id` carry the request id (the same value).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chatCompletionsPromptText, chunkText, replyText, sendBody, sleep, usageFor, writeStream } from './server.mjs';

const recordings = new URL('./recordings/mistral/', import.meta.url);
const recordingCache = new Map();

/** A recorded body, byte for byte. */
function recording(name) {
  if (!recordingCache.has(name)) recordingCache.set(name, readFileSync(new URL(name, recordings)));
  return recordingCache.get(name);
}

/**
 * The recorded error for a status. `headers` lists only the headers the recording had, so a
 * client has to cope with what the real API left out (the 2025 401 and the 422 have no
 * mistral-correlation-id; the 2025 401 keeps its request id in the body).
 */
const RECORDED_ERRORS = {
  400: { file: 'error_400_invalid_request_message_order.json', contentType: 'application/json', correlation: true },
  401: { file: 'error_401_detail_invalid_api_key.json', contentType: 'application/json', correlation: true },
  // scenario.error.variant 'request_id': the 2025 gateway shape, {"message","request_id"}.
  '401:request_id': {
    file: 'error_401_message_request_id.json',
    contentType: 'application/json; charset=utf-8',
    correlation: false,
    kongRequestId: '696869367bc8da6c8ed65c2e6fcc8216',
    extraHeaders: { 'www-authenticate': 'Key' },
  },
  422: { file: 'error_422_validation.json', contentType: 'application/json', correlation: false },
  429: { file: 'error_429_rate_limited.json', contentType: 'application/json', correlation: true },
  500: { file: 'error_500_internal_server_error.json', contentType: 'application/json', correlation: true },
  // Gap: no Mistral 503 was ever recorded. The recorded 500 already says "Service unavailable.",
  // so its body stands in for the 503 too.
  503: { file: 'error_500_internal_server_error.json', contentType: 'application/json', correlation: true },
};

/** Recorded correlation ids are UUIDs (v7 in the real API; any version will do here). */
function correlationId() {
  return randomUUID();
}

/** Completion ids are 32 lowercase hex characters. */
function completionId() {
  return randomBytes(16).toString('hex');
}

const PADDING_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The `p` field: a prefix of a fixed alphabet, of random length (recorded lengths: 1–32). */
function padding() {
  return PADDING_ALPHABET.slice(0, 1 + Math.floor(Math.random() * 32));
}

function requestHeaders(requestId) {
  return { 'mistral-correlation-id': requestId, 'x-kong-request-id': requestId };
}

/** Usage in Mistral's key order: prompt, total, completion, details, tier. */
function mistralUsage(usage) {
  return {
    prompt_tokens: usage.inputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    completion_tokens: usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    service_tier: 'standard',
  };
}

export async function handle(ctx) {
  const { req, res, url } = ctx;
  if (req.method === 'GET' && url.pathname === '/v1/models') return listModels(ctx);
  if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return chatCompletions(ctx);
  // No recording of an unknown path; FastAPI's default 404 body is the likeliest shape.
  return sendBody(res, 404, { 'content-type': 'application/json', ...requestHeaders(correlationId()) }, { detail: 'Not Found' });
}

async function listModels(ctx) {
  const { res, scenario } = ctx;
  if (scenario.error) return sendError(ctx, scenario.error);
  // Not recorded: a trimmed version of the documented ModelList shape, enough for a key check.
  const created = Math.floor(Date.now() / 1000);
  const model = (id) => ({
    id,
    object: 'model',
    created,
    owned_by: 'mistralai',
    capabilities: { completion_chat: true, function_calling: true, vision: false },
    name: id,
    description: `fake ${id}`,
    max_context_length: 131072,
    aliases: [],
    deprecation: null,
    default_model_temperature: 0.3,
    type: 'base',
  });
  return sendBody(
    res,
    200,
    { 'content-type': 'application/json', ...requestHeaders(correlationId()) },
    {
      object: 'list',
      data: [model('mistral-small-latest'), model('mistral-large-latest')],
    },
  );
}

async function sendError(ctx, error) {
  const { res, scenario } = ctx;
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  if (ctx.closed) return;
  const recorded = RECORDED_ERRORS[`${error.status}:${error.variant}`] ?? RECORDED_ERRORS[error.status];
  const requestId = correlationId();
  const headers = recorded
    ? {
        'content-type': recorded.contentType,
        ...(recorded.correlation ? { 'mistral-correlation-id': requestId } : {}),
        'x-kong-request-id': recorded.kongRequestId ?? requestId,
        ...recorded.extraHeaders,
      }
    : { 'content-type': 'application/json', ...requestHeaders(requestId) };
  // The recorded 429 has no retry-after; add one only when a test asks for it. Mistral has never
  // been seen sending retry-after-ms: it exists so retry tests can wait less than a second.
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  const body = recorded
    ? recording(recorded.file)
    : // No recording for this status: the vendor's envelope, with the status text as message.
      JSON.stringify({
        object: 'error',
        message: `fake ${error.status} error`,
        type: error.status >= 500 ? 'internal_server_error' : 'invalid_request_error',
        param: null,
        code: null,
      });
  res.writeHead(error.status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function chatCompletions(ctx) {
  const { res, body, scenario, record, provider } = ctx;
  record.stream = body?.stream === true;
  if (scenario.error) return sendError(ctx, scenario.error);

  const model = typeof body?.model === 'string' ? body.model : 'mistral-small-latest';
  const reply = replyText(provider, model, scenario);
  const usage = mistralUsage(usageFor(chatCompletionsPromptText(body), reply, scenario));
  const finishReason = scenario.finishReason ?? 'stop';
  const requestId = correlationId();
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);

  if (!record.stream) {
    if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
    if (ctx.closed) return;
    // Not recorded without streaming: with reasoning the content is the same array of
    // thinking/text parts the stream sends.
    const content = scenario.reasoning
      ? [
          { type: 'thinking', thinking: [{ type: 'text', text: scenario.reasoning }] },
          { type: 'text', text: reply },
        ]
      : reply;
    // Key order as recorded: id, created, model, usage, object, choices.
    return sendBody(
      res,
      200,
      {
        'content-type': 'application/json',
        ...requestHeaders(requestId),
        'x-ratelimit-limit-tokens-minute': '100000',
        'x-ratelimit-remaining-tokens-minute': String(100000 - usage.total_tokens),
        'x-ratelimit-tokens-query-cost': String(usage.total_tokens),
      },
      {
        id,
        created,
        model,
        usage,
        object: 'chat.completion',
        choices: [{ index: 0, finish_reason: finishReason, message: { role: 'assistant', tool_calls: null, content } }],
      },
    );
  }

  const frame = (choice, extra = {}, padded = true) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, ...choice }],
      ...extra,
      ...(padded ? { p: padding() } : {}),
    })}\n\n`;

  // The first chunk announces the role and is the only one without padding.
  const frames = [frame({ delta: { role: 'assistant', content: '' }, finish_reason: null }, {}, false)];
  // Content parts: each element becomes one delta.content (a string, or an array of parts).
  const contents = [];
  const textChunks = chunkText(reply);
  if (scenario.reasoning) {
    // As recorded: an empty string delta, then thinking parts (the first without `closed`, the
    // rest with `closed: true`), the last thinking part sharing its chunk with the first text part,
    // then plain strings again.
    frames.push(frame({ delta: { content: '' }, finish_reason: null }));
    const thinkingChunks = chunkText(scenario.reasoning);
    thinkingChunks.forEach((thinking, index) => {
      const part = { type: 'thinking', thinking: [{ type: 'text', text: thinking }], ...(index > 0 ? { closed: true } : {}) };
      if (index < thinkingChunks.length - 1) contents.push([part]);
      else contents.push([part, { type: 'text', text: textChunks.shift() ?? '' }]);
    });
  }
  contents.push(...textChunks);
  const firstContentIndex = frames.length;
  contents.forEach((content, index) => {
    const last = index === contents.length - 1;
    frames.push(
      last ? frame({ delta: { content }, finish_reason: finishReason }, { usage }) : frame({ delta: { content }, finish_reason: null }),
    );
  });
  if (scenario.midstreamError) {
    // Gap: no recording shows Mistral failing inside a 200 stream. This sends the vendor's error
    // envelope as a data frame after the first content chunk, then closes without [DONE]; the SDK's
    // chunk schema rejects it, which is as close as we can get to what a client would see.
    const envelope = recording(RECORDED_ERRORS[500].file).toString('utf8');
    frames.splice(firstContentIndex + 1, frames.length, `data: ${envelope}\n\n`);
  } else {
    frames.push('data: [DONE]\n\n');
  }

  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', ...requestHeaders(requestId) });
  res.flushHeaders();
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  const contentFrames = frames.length - firstContentIndex - (scenario.midstreamError ? 0 : 1);
  await writeStream(ctx, frames, { firstContentIndex, contentFrames });
}
