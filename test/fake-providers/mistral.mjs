// Mistral's chat-completions protocol, as the real API spoke it in the recordings under
// ../shared/wire/mistral, copied to ./recordings/mistral. Error bodies, the model list and
// `scenario.replay` are sent byte for byte; every other reply is a recorded body or recorded
// frames with the scenario's text, calls, usage and ids put in place of the recorded ones.
//
//   POST /v1/chat/completions   JSON, or SSE when body.stream
//   POST /v1/embeddings         one vector per input (embeddings.json)
//   GET  /v1/models             the recorded model list (models_list.json)
//
// What the recordings fix, and this module copies:
// - SSE frames `data: {json}\n\n`, ending `data: [DONE]\n\n`, `text/event-stream; charset=utf-8`.
// - Every chunk after the first carries a random-length `"p":"abc…"` padding field.
// - finish_reason and usage arrive together on the last content chunk; there is no usage chunk
//   and no stream_options.
// - Reasoning turns `delta.content` from a string into an array of thinking/text parts, and back.
// - A tool call arrives whole (id, name, complete arguments) in one delta, in the chunk carrying
//   finish_reason "tool_calls" and usage; ids are 9 alphanumerics; without streaming, content is "".
// - Errors are plain JSON with a non-2xx status, even for stream requests.
// - `mistral-correlation-id` and `x-kong-request-id` carry the request id (the same value).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chatCompletionsPromptText, chunkText, countTokens, replyText, sendBody, sleep, usageFor, writeStream } from './server.mjs';

const recordings = new URL('./recordings/mistral/', import.meta.url);
const recordingCache = new Map();

/** A recorded body, byte for byte. */
function recording(name) {
  if (!recordingCache.has(name)) recordingCache.set(name, readFileSync(new URL(name, recordings)));
  return recordingCache.get(name);
}

/** A recorded JSON body, parsed afresh (callers change it). Key order stays as recorded. */
function recordedJson(name) {
  return JSON.parse(recording(name).toString('utf8'));
}

/** The JSON of each `data:` frame of a recorded stream, `[DONE]` left out. */
function recordedFrames(name) {
  return recording(name)
    .toString('utf8')
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: {'))
    .map((frame) => JSON.parse(frame.slice('data: '.length)));
}

/**
 * The recorded chunks the synthesised streams are cut from: the role chunk, a text chunk, the
 * last chunk (finish_reason and usage), a thinking chunk, and the whole-call tool chunk.
 */
const template = {
  get roleChunk() {
    return recordedFrames('stream_text.sse')[0];
  },
  get textChunk() {
    return recordedFrames('stream_text.sse')[1];
  },
  get lastChunk() {
    return recordedFrames('stream_text.sse').at(-1);
  },
  get thinkingChunk() {
    return recordedFrames('stream_thinking_content_chunks.sse')[3];
  },
  get toolCallChunk() {
    return recordedFrames('stream_tool_calls.sse')[1];
  },
};

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

/** Tool-call ids are 9 characters of [A-Za-z0-9] (bAyGEuxg1, g6fVbXS8K, 5K7IOShCC). */
function toolCallId() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(9)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** The scenario's calls in the recorded shape: id, type, function {name, arguments as text}, index. */
function wireToolCalls(scenario) {
  return scenario.toolCalls.map((call, index) => ({
    id: call.id ?? toolCallId(),
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
    index,
  }));
}

export async function handle(ctx) {
  const { req, url } = ctx;
  if (ctx.scenario.replay) return replay(ctx, ctx.scenario.replay);
  if (req.method === 'GET' && url.pathname === '/v1/models') return listModels(ctx);
  if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return chatCompletions(ctx);
  if (req.method === 'POST' && url.pathname === '/v1/embeddings') return embeddings(ctx);
  if (url.pathname.startsWith('/v1/batch/jobs')) {
    const answered = batchRoute(ctx);
    if (answered) return answered;
  }
  // No recording of an unknown path; FastAPI's default 404 body is the likeliest shape.
  return sendBody(ctx.res, 404, { 'content-type': 'application/json', ...requestHeaders(correlationId()) }, { detail: 'Not Found' });
}

const HOP_BY_HOP = new Set(['connection', 'content-length', 'content-encoding', 'transfer-encoding', 'keep-alive', 'date', 'alt-svc']);

/**
 * A recording sent as it was: its status, its headers, and its body
 * byte for byte (a stream frame by frame, so chunkDelayMs and cutAfterChunks still apply).
 */
async function replay(ctx, name) {
  const { res, scenario } = ctx;
  const meta = recordedJson(`${name}.meta.json`);
  ctx.record.stream = ctx.body?.stream === true;
  // The recorded headers, but for those that describe the recorded connection rather than the
  // reply, and the recorder's placeholders (`<omitted>`, `<CF_RAY>`).
  const headers = {};
  for (const [key, value] of Object.entries(meta.response.headers)) {
    if (HOP_BY_HOP.has(key.toLowerCase()) || value.includes('<')) continue;
    headers[key.toLowerCase()] = value;
  }
  const body = recording(meta.response.body_file);
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  if (ctx.closed) return;
  if (!meta.response.body_file.endsWith('.sse')) {
    res.writeHead(meta.response.status, { 'content-length': body.length, ...headers });
    res.end(body);
    return;
  }
  const frames = body
    .toString('utf8')
    .split(/(?<=\n\n)/)
    .filter((frame) => frame.trim() !== '');
  res.writeHead(meta.response.status, headers);
  res.flushHeaders();
  // The role chunk and [DONE] carry no content.
  await writeStream(ctx, frames, { firstContentIndex: 1, contentFrames: frames.length - 2 });
}

async function listModels(ctx) {
  const { res, scenario } = ctx;
  if (scenario.error) return sendError(ctx, scenario.error);
  const body = recording('models_list.json');
  return sendBody(res, 200, { 'content-type': 'application/json', ...requestHeaders(correlationId()) }, body.toString('utf8'));
}

/**
 * A vector for a text that is the same on every run: `dimensions` values in [-0.1, 0.1] drawn
 * from the text's characters (recorded vectors are 1024 floats of that size).
 */
function embeddingFor(text, dimensions) {
  const vector = [];
  let seed = 2166136261;
  for (const character of text) seed = Math.imul(seed ^ character.codePointAt(0), 16777619) >>> 0;
  for (let index = 0; index < dimensions; index += 1) {
    seed = Math.imul(seed ^ index, 16777619) >>> 0;
    vector.push(Math.round(((seed / 0xffffffff) * 0.2 - 0.1) * 1e6) / 1e6);
  }
  return vector;
}

/** POST /v1/embeddings as embeddings.json answers it: id, object, data [{object, embedding, index}], model, usage. */
async function embeddings(ctx) {
  const { res, body, scenario } = ctx;
  if (scenario.error) return sendError(ctx, scenario.error);
  const inputs = Array.isArray(body?.input) ? body.input : [body?.input ?? ''];
  const dimensions = typeof body?.output_dimension === 'number' ? body.output_dimension : 1024;
  const reply = recordedJson('embeddings.json');
  const [item] = reply.data;
  reply.id = completionId();
  reply.model = typeof body?.model === 'string' ? body.model : reply.model;
  reply.data = inputs.map((text, index) => ({
    ...item,
    embedding: scenario.embeddings?.[index] ?? embeddingFor(String(text), dimensions),
    index,
  }));
  const tokens = scenario.usage?.inputTokens ?? inputs.reduce((sum, text) => sum + countTokens(String(text)), 0);
  reply.usage = { ...reply.usage, prompt_tokens: tokens, total_tokens: tokens };
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  if (ctx.closed) return;
  return sendBody(res, 200, { 'content-type': 'application/json', ...requestHeaders(correlationId()) }, reply);
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
  const toolCalls = Array.isArray(scenario.toolCalls) && scenario.toolCalls.length > 0 ? wireToolCalls(scenario) : undefined;
  const reply = toolCalls ? '' : replyText(provider, model, scenario);
  const usageText = toolCalls ? JSON.stringify(toolCalls) : reply;
  const usage = mistralUsage(usageFor(chatCompletionsPromptText(body), usageText, scenario));
  const finishReason = toolCalls ? 'tool_calls' : (scenario.finishReason ?? 'stop');
  const requestId = correlationId();
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);

  if (!record.stream) {
    if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
    if (ctx.closed) return;
    const completion = recordedJson(toolCalls ? 'nonstream_tool_calls.json' : 'nonstream_text.json');
    const [choice] = completion.choices;
    // Not recorded without streaming: with reasoning the content is the same array of
    // thinking/text parts the stream sends.
    const content = scenario.reasoning
      ? [
          { type: 'thinking', thinking: [{ type: 'text', text: scenario.reasoning }] },
          { type: 'text', text: reply },
        ]
      : reply;
    Object.assign(completion, { id, created, model, usage });
    Object.assign(choice, { finish_reason: finishReason });
    Object.assign(choice.message, { tool_calls: toolCalls ?? null, content });
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
      completion,
    );
  }

  /** A recorded chunk with this reply's id, time, model, delta and finish; usage and `p` as asked. */
  const frame = (recorded, delta, { finish = null, withUsage = false, padded = true } = {}) => {
    const chunk = structuredClone(recorded);
    Object.assign(chunk, { id, created, model });
    Object.assign(chunk.choices[0], { delta, finish_reason: finish });
    if (withUsage) chunk.usage = usage;
    else delete chunk.usage;
    if (padded) chunk.p = padding();
    else delete chunk.p;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  };

  // The first chunk announces the role and is the only one without padding.
  const frames = [frame(template.roleChunk, { role: 'assistant', content: '' }, { padded: false })];
  // As recorded, reasoning starts with an empty string delta.
  if (scenario.reasoning && !toolCalls) frames.push(frame(template.textChunk, { content: '' }));
  const firstContentIndex = frames.length;
  if (toolCalls) {
    // Every call whole, in the one chunk that also ends the answer (stream_tool_calls.sse).
    frames.push(frame(template.toolCallChunk, { tool_calls: toolCalls }, { finish: finishReason, withUsage: true }));
  } else {
    // Content parts: each element becomes one delta.content (a string, or an array of parts).
    const contents = [];
    const textChunks = chunkText(reply);
    if (scenario.reasoning) {
      // As recorded: thinking parts (the first without `closed`, the rest with `closed: true`), the
      // last thinking part sharing its chunk with the first text part, then plain strings again.
      const thinkingChunks = chunkText(scenario.reasoning);
      thinkingChunks.forEach((thinking, index) => {
        const part = { type: 'thinking', thinking: [{ type: 'text', text: thinking }], ...(index > 0 ? { closed: true } : {}) };
        if (index < thinkingChunks.length - 1) contents.push([part]);
        else contents.push([part, { type: 'text', text: textChunks.shift() ?? '' }]);
      });
    }
    contents.push(...textChunks);
    contents.forEach((content, index) => {
      const last = index === contents.length - 1;
      const recorded = Array.isArray(content) ? template.thinkingChunk : last ? template.lastChunk : template.textChunk;
      frames.push(frame(recorded, { content }, last ? { finish: finishReason, withUsage: true } : {}));
    });
  }
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

// ---------------------------------------------------------------------------------------------
// Batch jobs with inline requests (batch_job_create, batch_job_get_running,
// batch_job_get_success_inline): QUEUED when created, RUNNING at the first get, SUCCESS from the
// second on (outputs inlined with ?inline=true). Cancel is not recorded: it answers the job as
// the other calls do, CANCELLATION_REQUESTED, and CANCELLED at the next get.

const jobs = new Map();

function batchRoute(ctx) {
  const { req, url } = ctx;
  const parts = url.pathname.split('/').filter(Boolean);
  if (req.method === 'POST' && parts.length === 3) return createJob(ctx);
  const job = jobs.get(parts[3]);
  if (!job)
    return sendBody(ctx.res, 404, { 'content-type': 'application/json', ...requestHeaders(correlationId()) }, { detail: 'Not Found' });
  if (req.method === 'GET' && parts.length === 4) return getJob(ctx, job);
  if (req.method === 'POST' && parts[4] === 'cancel') return cancelJob(ctx, job);
  return undefined;
}

function jobBody(job, name, changes) {
  return {
    ...recordedJson(name),
    id: job.id,
    input_files: [job.inputFile],
    model: job.model,
    endpoint: job.endpoint,
    created_at: job.createdAt,
    ...changes,
  };
}

function sendJob(ctx, body) {
  return sendBody(ctx.res, 200, { 'content-type': 'application/json', ...requestHeaders(correlationId()) }, body);
}

async function createJob(ctx) {
  const { body } = ctx;
  if (!Array.isArray(body?.requests) || typeof body.model !== 'string')
    return sendBody(ctx.res, 422, { 'content-type': 'application/json' }, recordedJson('error_422_validation.json'));
  const job = {
    id: randomUUID(),
    inputFile: randomUUID(),
    model: body.model,
    endpoint: body.endpoint,
    requests: body.requests,
    gets: 0,
    cancelled: false,
    createdAt: Math.floor(Date.now() / 1000),
  };
  jobs.set(job.id, job);
  return sendJob(ctx, jobBody(job, 'batch_job_create.json', {}));
}

async function getJob(ctx, job) {
  job.gets += 1;
  const total = job.requests.length;
  if (job.cancelled) return sendJob(ctx, jobBody(job, 'batch_job_get_running.json', { status: 'CANCELLED', total_requests: total }));
  if (job.gets < 2) return sendJob(ctx, jobBody(job, 'batch_job_get_running.json', { total_requests: total }));
  const inline = ctx.url.searchParams.get('inline') === 'true';
  const outputs = job.requests.map((request, index) => {
    const reply = replyText('mistral', job.model, {});
    const completion = recordedJson('batch_job_get_success_inline.json').outputs[0].response.body;
    Object.assign(completion, {
      id: completionId(),
      created: Math.floor(Date.now() / 1000),
      model: job.model,
      usage: { ...completion.usage, ...mistralUsage(usageFor(chatCompletionsPromptText(request.body), reply, {})) },
    });
    completion.choices[0].message.content = reply;
    return {
      id: `batch-${job.id.slice(0, 8)}-${job.inputFile.slice(0, 8)}-${index}`,
      custom_id: request.custom_id,
      response: { status_code: 200, body: completion },
      error: null,
    };
  });
  return sendJob(
    ctx,
    jobBody(job, 'batch_job_get_success_inline.json', {
      outputs: inline ? outputs : null,
      total_requests: total,
      completed_requests: total,
      succeeded_requests: total,
      failed_requests: 0,
    }),
  );
}

async function cancelJob(ctx, job) {
  job.cancelled = true;
  return sendJob(
    ctx,
    jobBody(job, 'batch_job_get_running.json', { status: 'CANCELLATION_REQUESTED', total_requests: job.requests.length }),
  );
}
