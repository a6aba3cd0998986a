// The Anthropic Messages protocol for the fake providers (server.mjs loads it for `anthropic`).
// It follows the real recordings in ../shared/wire/anthropic; the ones replayed are copied,
// byte for byte with their .meta.json sidecars, under ./recordings/anthropic.
//
//   POST /v1/messages   streaming (`"stream": true`) or not, reasoning, stop sequences, errors,
//                       tool calls (scenario `toolCalls`, or a forced `tool_choice`), tool-result
//                       follow-ups and structured output (answered with the scenario's text),
//                       recordings replayed verbatim (scenario `replay`)
//   GET  /v1/models     the recorded list (models_list.json); /v1/models/{id} one of it or an alias
//   anything else       404 not_found_error
import { readFileSync } from 'node:fs';
import { chunkText, replyText, sendBody, sleep, usageFor, writeStream } from './server.mjs';

const RECORDINGS = new URL('./recordings/anthropic/', import.meta.url);

/** The recorded error each status replays. Statuses without a recording get a synthesised body. */
const ERROR_RECORDINGS = {
  400: 'error_400_prompt_too_long.json',
  401: 'error_401_authentication_error.json',
  404: 'error_404_not_found_stream_request.json',
  429: 'error_429_rate_limit_retry_after.json',
  500: 'error_500_api_error.json',
  503: 'error_503_upstream_reset_text_plain.txt',
  529: 'error_529_overloaded.json',
};

/** Error types of the statuses no recording covers, as the API names them. */
const ERROR_TYPES = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Aliases `GET /v1/models/{id}` answers besides the recorded list's dated ids, as the real API does. */
const MODEL_ALIASES = {
  'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
  'claude-opus-4-1': 'claude-opus-4-1-20250805',
};

let requestCount = 0;
let messageCount = 0;

function recording(name) {
  return readFileSync(new URL(name, RECORDINGS), 'utf8');
}

function recordedHeaders(name) {
  const meta = JSON.parse(recording(name.replace(/\.[a-z]+$/, '.meta.json')));
  return /** @type {Record<string, string>} */ (meta.response.headers);
}

/**
 * The real server pads some frames with a random run of spaces before the final `}`
 * (`..."index":0}          }`); SDK parsers must tolerate it, so the fake does it too.
 */
function padded(json) {
  const spaces = Math.floor(Math.random() * 16);
  return spaces === 0 ? json : `${json.slice(0, -1)}${' '.repeat(spaces)}}`;
}

function frame(type, data) {
  return `event: ${type}\ndata: ${padded(JSON.stringify(data))}\n\n`;
}

/** The ping frame is sent verbatim: the server writes it with a space after the colon. */
const PING_FRAME = 'event: ping\ndata: {"type": "ping"}\n\n';

export async function handle(ctx) {
  const { req, res, url } = ctx;
  requestCount += 1;
  const requestId = `req_fake_${requestCount}`;

  if (url.pathname === '/v1/messages' && req.method === 'POST') return messages(ctx, requestId);
  if (req.method === 'GET' && url.pathname === '/v1/models') return listModels(ctx, requestId);
  if (req.method === 'GET' && url.pathname.startsWith('/v1/models/')) return retrieveModel(ctx, requestId);
  if (url.pathname.startsWith('/v1/messages/batches')) return batchRoute(ctx, requestId);
  return sendError(res, requestId, 404, 'not_found_error', 'Not Found');
}

// ---------------------------------------------------------------------------------------------
// /v1/messages

async function messages(ctx, requestId) {
  const { res, body, scenario, record } = ctx;
  record.stream = body?.stream === true;

  const problem = validate(body);
  if (problem) return sendError(res, requestId, 400, 'invalid_request_error', problem);
  if (scenario.error) return replayError(ctx, requestId);
  if (typeof scenario.replay === 'string') return replayRecording(ctx, requestId, scenario.replay);

  const reply = buildReply(ctx);
  if (!record.stream) {
    if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
    if (ctx.closed) return;
    return sendBody(res, 200, { 'content-type': 'application/json', 'request-id': requestId }, messageBody(reply));
  }

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId,
  });
  // Headers first, then the wait: the SDK resolves on headers, so the delay is time to first token.
  res.flushHeaders();
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  const { frames, firstTextDeltaIndex, textDeltaCount } = streamFrames(reply);

  if (scenario.midstreamError) {
    // The recorded overload frame, verbatim, right after the first piece of reply text.
    const cut = frames.slice(0, firstTextDeltaIndex + 1);
    cut.push(recording('stream_error_event_overloaded.sse'));
    return writeStream(ctx, cut, { contentFrames: 1, firstContentIndex: firstTextDeltaIndex });
  }
  // cutAfterChunks counts pieces of reply text (not thinking), so the count means the same with or without reasoning.
  return writeStream(ctx, frames, { contentFrames: textDeltaCount, firstContentIndex: firstTextDeltaIndex });
}

/** The few checks the real API makes that an adapter bug would trip (its messages, shortened). */
function validate(body) {
  if (body === null || typeof body !== 'object') return 'request body is not valid JSON';
  if (typeof body.model !== 'string') return 'model: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  for (const [index, message] of body.messages.entries()) {
    // The SDK's MessageParam (API version 2026-10-21) has a system role besides the `system` parameter.
    if (message?.role !== 'user' && message?.role !== 'assistant' && message?.role !== 'system') {
      return `messages.${index}.role: Input should be 'user', 'assistant' or 'system'`;
    }
  }
  return undefined;
}

/** What the model "says": text, optional thinking, stop reason and usage in wire form. */
function buildReply(ctx) {
  const { provider, body, scenario } = ctx;
  let text = replyText(provider, body.model, scenario);
  let stopReason = scenario.finishReason === 'length' ? 'max_tokens' : 'end_turn';
  let stopSequence = null;
  // Like the real model, stop at the earliest requested stop sequence (which is not part of the reply).
  for (const sequence of Array.isArray(body.stop_sequences) ? body.stop_sequences : []) {
    const at = typeof sequence === 'string' && sequence ? text.indexOf(sequence) : -1;
    if (at >= 0 && (stopSequence === null || at < text.indexOf(stopSequence))) stopSequence = sequence;
  }
  if (stopSequence !== null) {
    text = text.slice(0, text.indexOf(stopSequence));
    stopReason = 'stop_sequence';
  }
  messageCount += 1;
  const toolCalls = toolCallsFor(body, scenario);
  if (toolCalls.length > 0) {
    // The model writes text before its calls only when the scenario gives some (a forced tool, never).
    text = typeof scenario.text === 'string' && Array.isArray(scenario.toolCalls) ? scenario.text : '';
    stopReason = 'tool_use';
    stopSequence = null;
  }
  const usage = usageFor(promptText(body), text + toolCalls.map((call) => call.json).join(''), scenario);
  return {
    id: `msg_fake${String(messageCount).padStart(20, '0')}`,
    model: body.model,
    text,
    toolCalls,
    reasoning: typeof scenario.reasoning === 'string' ? scenario.reasoning : undefined,
    stopReason,
    stopSequence,
    // Anthropic's input_tokens excludes cache reads: all prompt tokens = input + cache read + cache write.
    inputTokens: usage.inputTokens - usage.cachedInputTokens,
    cacheReadTokens: usage.cachedInputTokens,
    outputTokens: usage.outputTokens,
  };
}

/**
 * The calls the reply makes: the scenario's, or, when the request forces one tool (as structured
 * output by forced tool does), a call to it whose input is the scenario's text parsed as a JSON
 * object (else `{}`): the real API calls a forced tool whatever the prompt.
 */
function toolCallsFor(body, scenario) {
  let calls = Array.isArray(scenario.toolCalls) ? scenario.toolCalls : [];
  if (calls.length === 0 && body.tool_choice?.type === 'tool' && typeof body.tool_choice.name === 'string') {
    calls = [{ name: body.tool_choice.name, arguments: parsedObject(scenario.text) ?? {} }];
  }
  return calls.map((call, index) => ({
    id: call.id ?? `toolu_fake${String(messageCount).padStart(12, '0')}${String(index).padStart(10, '0')}`,
    name: call.name,
    input: call.arguments,
    json: JSON.stringify(call.arguments),
  }));
}

function parsedObject(text) {
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function promptText(body) {
  const texts = [contentText(body.system)];
  for (const message of body.messages) texts.push(contentText(message.content));
  return texts.filter(Boolean).join('\n');
}

function contentText(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block) => (typeof block?.text === 'string' ? block.text : '')).join('');
}

/** A deterministic stand-in for the opaque signature that closes a thinking block. */
function signatureFor(reasoning) {
  return Buffer.from(`fake-signature:${reasoning.length}:${reasoning.slice(0, 32)}`).toString('base64');
}

function usageObject(reply, outputTokens) {
  return {
    input_tokens: reply.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: reply.cacheReadTokens,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** The non-streamed message, compact JSON with the real key order. */
function messageBody(reply) {
  const content = [];
  if (reply.reasoning !== undefined) {
    content.push({ type: 'thinking', thinking: reply.reasoning, signature: signatureFor(reply.reasoning) });
  }
  if (reply.toolCalls.length === 0 || reply.text) content.push({ type: 'text', text: reply.text });
  for (const call of reply.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input });
  return {
    model: reply.model,
    id: reply.id,
    type: 'message',
    role: 'assistant',
    content,
    stop_reason: reply.stopReason,
    stop_sequence: reply.stopSequence,
    usage: usageObject(reply, reply.outputTokens),
  };
}

/**
 * The recorded event order: message_start, content_block_start, ping, deltas, content_block_stop
 * (a thinking block first when there is reasoning, then the text block), message_delta with the
 * cumulative output_tokens, message_stop.
 */
function streamFrames(reply) {
  const frames = [];
  frames.push(
    frame('message_start', {
      type: 'message_start',
      message: {
        model: reply.model,
        id: reply.id,
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usageObject(reply, 1),
      },
    }),
  );

  let index = 0;
  if (reply.reasoning !== undefined) {
    frames.push(
      frame('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      }),
      PING_FRAME,
    );
    for (const piece of chunkText(reply.reasoning)) {
      frames.push(frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } }));
    }
    frames.push(
      frame('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: signatureFor(reply.reasoning) },
      }),
      frame('content_block_stop', { type: 'content_block_stop', index }),
    );
    index += 1;
  }

  let firstTextDeltaIndex = frames.length;
  let textDeltaCount = 0;
  if (reply.toolCalls.length === 0 || reply.text) {
    frames.push(frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    // The server pings once, after the first block starts.
    if (index === 0) frames.push(PING_FRAME);
    firstTextDeltaIndex = frames.length;
    const pieces = chunkText(reply.text);
    // chunkText drops trailing whitespace (text cut at a stop sequence often ends in a space); keep it.
    const rest = reply.text.slice(pieces.join('').length);
    if (rest) pieces[pieces.length - 1] += rest;
    for (const piece of pieces) {
      frames.push(frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
    }
    frames.push(frame('content_block_stop', { type: 'content_block_stop', index }));
    textDeltaCount = pieces.length;
    index += 1;
  }
  for (const call of reply.toolCalls) {
    // As recorded: the block opens with `input: {}`, the first input_json_delta is "", then the JSON in pieces.
    frames.push(
      frame('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    );
    if (index === 0) frames.push(PING_FRAME);
    for (const piece of ['', ...jsonPieces(call.json)]) {
      frames.push(
        frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }),
      );
    }
    frames.push(frame('content_block_stop', { type: 'content_block_stop', index }));
    index += 1;
  }
  frames.push(
    frame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: reply.stopSequence },
      usage: {
        input_tokens: reply.inputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: reply.cacheReadTokens,
        output_tokens: reply.outputTokens,
      },
    }),
    frame('message_stop', { type: 'message_stop' }),
  );
  return { frames, firstTextDeltaIndex, textDeltaCount };
}

/** A call's JSON in pieces of about twelve characters, as the real server splits it; none for `{}` (as recorded). */
function jsonPieces(json) {
  if (json === '{}') return [];
  const pieces = [];
  for (let at = 0; at < json.length; at += 12) pieces.push(json.slice(at, at + 12));
  return pieces;
}

// ---------------------------------------------------------------------------------------------
// /v1/models

function recordedModels() {
  return /** @type {{ data: Array<Record<string, unknown>> }} */ (JSON.parse(recording('models_list.json')));
}

async function listModels(ctx, requestId) {
  if (ctx.scenario.error) return replayError(ctx, requestId);
  return sendBody(ctx.res, 200, { 'content-type': 'application/json', 'request-id': requestId }, recording('models_list.json'));
}

async function retrieveModel(ctx, requestId) {
  if (ctx.scenario.error) return replayError(ctx, requestId);
  const id = decodeURIComponent(ctx.url.pathname.slice('/v1/models/'.length));
  const model = recordedModels().data.find((candidate) => candidate.id === (MODEL_ALIASES[id] ?? id));
  if (!model) return sendError(ctx.res, requestId, 404, 'not_found_error', `model: ${id}`);
  return sendBody(ctx.res, 200, { 'content-type': 'application/json', 'request-id': requestId }, model);
}

// ---------------------------------------------------------------------------------------------
// Recordings replayed verbatim

/** The recording's body, status, content type and request id, as recorded (`name` without extension). */
async function replayRecording(ctx, requestId, name) {
  const meta = JSON.parse(recording(`${name}.meta.json`));
  const body = recording(meta.response.body_file);
  const recorded = Object.fromEntries(Object.entries(meta.response.headers).map(([header, value]) => [header.toLowerCase(), value]));
  const headers = { 'content-type': recorded['content-type'] ?? 'application/json', 'request-id': recorded['request-id'] ?? requestId };
  if (ctx.scenario.firstChunkDelayMs) await sleep(ctx.scenario.firstChunkDelayMs);
  return sendBody(ctx.res, meta.response.status, headers, body);
}

// ---------------------------------------------------------------------------------------------
// Errors: plain JSON with a non-2xx status, even for stream requests (the SDK checks the status first).

function sendError(res, requestId, status, type, message) {
  const body = { type: 'error', error: { type, message }, request_id: requestId };
  return sendBody(res, status, { 'content-type': 'application/json', 'request-id': requestId, 'x-should-retry': 'false' }, body);
}

async function replayError(ctx, requestId) {
  const { res, scenario } = ctx;
  const { status, retryAfterSeconds, retryAfterMs } = scenario.error;
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  const name = ERROR_RECORDINGS[status];

  /** @type {Record<string, string>} */
  const headers = {};
  let body;
  if (name) {
    body = recording(name);
    for (const [header, value] of Object.entries(recordedHeaders(name))) {
      const lower = header.toLowerCase();
      // Never the recorded Retry-After (65 s): only what the scenario asks for, below.
      if (lower === 'content-type' || lower === 'x-should-retry' || lower.startsWith('anthropic-ratelimit-')) {
        headers[lower] = value;
      }
    }
    // The edge proxy's text/plain 503 never reached the API, so, as recorded, it has no request id.
    if (headers['content-type'] !== 'text/plain') {
      // The header agrees with the body's own request_id where the recording has one, as on the real server.
      headers['request-id'] = /"request_id":"([^"]+)"/.exec(body)?.[1] ?? requestId;
    }
  } else {
    const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    body = { type: 'error', error: { type, message: `fake ${status} ${type}` }, request_id: requestId };
    headers['content-type'] = 'application/json';
    headers['request-id'] = requestId;
    headers['x-should-retry'] = String(status === 408 || status === 409 || status === 429 || status >= 500);
  }
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (retryAfterMs !== undefined) headers['retry-after-ms'] = String(retryAfterMs);
  return sendBody(res, status, headers, body);
}

// ---------------------------------------------------------------------------------------------
// /v1/messages/batches (batch_create, batch_retrieve_ended, batch_cancel, batch_results): a batch
// is in_progress at its first retrieve and ended from the second on; a cancelled one is
// canceling until its next retrieve, then ended with its requests canceled.

const batches = new Map();

function batchRoute(ctx, requestId) {
  const { req, res, url } = ctx;
  const parts = url.pathname.split('/').filter(Boolean);
  if (req.method === 'POST' && parts.length === 3) return createBatch(ctx, requestId);
  const batch = batches.get(parts[3]);
  if (!batch) return sendError(res, requestId, 404, 'not_found_error', `Message batch ${parts[3]} not found`);
  if (req.method === 'GET' && parts.length === 4) return retrieveBatch(ctx, requestId, batch);
  if (req.method === 'POST' && parts[4] === 'cancel') return cancelBatch(ctx, requestId, batch);
  if (req.method === 'GET' && parts[4] === 'results') return batchResults(ctx, requestId, batch);
  return sendError(res, requestId, 404, 'not_found_error', 'Not Found');
}

function batchBody(batch, name, changes) {
  return JSON.stringify({
    ...JSON.parse(recording(name)),
    id: batch.id,
    created_at: batch.createdAt,
    expires_at: batch.expiresAt,
    ...changes,
  });
}

function counts(batch, state) {
  const total = batch.requests.length;
  const zero = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  if (state === 'running') return { ...zero, processing: total };
  if (state === 'canceled') return { ...zero, canceled: total };
  return { ...zero, succeeded: total };
}

async function createBatch(ctx, requestId) {
  const { res, body } = ctx;
  if (!Array.isArray(body?.requests) || body.requests.length === 0)
    return sendError(res, requestId, 400, 'invalid_request_error', 'requests: Field required');
  const created = new Date();
  const batch = {
    id: `msgbatch_fake${String(batches.size + 1).padStart(20, '0')}`,
    requests: body.requests,
    retrieved: 0,
    cancelledAt: null,
    createdAt: created.toISOString().replace('Z', '+00:00'),
    expiresAt: new Date(created.getTime() + 86_400_000).toISOString().replace('Z', '+00:00'),
  };
  batches.set(batch.id, batch);
  return sendBody(
    res,
    200,
    { 'content-type': 'application/json', 'request-id': requestId },
    batchBody(batch, 'batch_create.json', { request_counts: counts(batch, 'running') }),
  );
}

async function retrieveBatch(ctx, requestId, batch) {
  const { req, res } = ctx;
  batch.retrieved += 1;
  const headers = { 'content-type': 'application/json', 'request-id': requestId };
  if (batch.retrieved < 2 && !batch.cancelledAt)
    return sendBody(res, 200, headers, batchBody(batch, 'batch_create.json', { request_counts: counts(batch, 'running') }));
  const resultsUrl = `http://${req.headers.host}/v1/messages/batches/${batch.id}/results`;
  const ended = { processing_status: 'ended', ended_at: new Date().toISOString().replace('Z', '+00:00'), results_url: resultsUrl };
  if (batch.cancelledAt)
    return sendBody(
      res,
      200,
      headers,
      batchBody(batch, 'batch_retrieve_ended.json', {
        ...ended,
        cancel_initiated_at: batch.cancelledAt,
        request_counts: counts(batch, 'canceled'),
      }),
    );
  return sendBody(res, 200, headers, batchBody(batch, 'batch_retrieve_ended.json', { ...ended, request_counts: counts(batch, 'ended') }));
}

async function cancelBatch(ctx, requestId, batch) {
  batch.cancelledAt = new Date().toISOString().replace('Z', '+00:00');
  return sendBody(
    ctx.res,
    200,
    { 'content-type': 'application/json', 'request-id': requestId },
    batchBody(batch, 'batch_cancel.json', { cancel_initiated_at: batch.cancelledAt, request_counts: counts(batch, 'running') }),
  );
}

/** One JSON line per request, as batch_results.jsonl: the message a single request would get, service_tier batch. */
async function batchResults(ctx, requestId, batch) {
  const lines = batch.requests.map((request) => {
    if (batch.cancelledAt) return JSON.stringify({ custom_id: request.custom_id, result: { type: 'canceled' } });
    const reply = buildReply({ ...ctx, body: request.params, scenario: {} });
    const message = messageBody(reply);
    message.usage.service_tier = 'batch';
    return JSON.stringify({ custom_id: request.custom_id, result: { type: 'succeeded', message } });
  });
  const headers = { 'content-type': recordedHeaders('batch_results.jsonl')['Content-Type'], 'request-id': requestId };
  return sendBody(ctx.res, 200, headers, `${lines.join('\n')}\n`);
}
