// The Gemini API (generativelanguage.googleapis.com, v1beta) as @google/genai speaks to it.
// Shapes follow the recordings in /work/shared/wire/gemini, copied under ./recordings/gemini:
// error bodies and `replay` scenarios are sent byte for byte; generated replies are built on
// recorded bodies and stream frames as templates, so their keys, order and framing are Google's.
//
// Served: POST /v1beta/models/{model}:generateContent
//         POST /v1beta/models/{model}:streamGenerateContent?alt=sse   (the only form the SDK asks for)
//         POST /v1beta/models/{model}:batchEmbedContents               (what the SDK calls for embeddings)
//         GET  /v1beta/models                                          (the recorded model list)
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chunkText, replyText, sendBody, sleep, usageFor, writeStream } from './server.mjs';

const RECORDINGS = new URL('./recordings/gemini/', import.meta.url);
const recordingCache = new Map();

/** A recorded body, exactly as the server sent it. */
function recording(name) {
  if (!recordingCache.has(name)) recordingCache.set(name, readFileSync(new URL(name, RECORDINGS), 'utf8'));
  return recordingCache.get(name);
}

/** The data frames of a recorded stream, each still framed (`data: …\r\n\r\n`). */
function recordedFrames(name) {
  return recording(name)
    .split('\r\n\r\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => `${frame}\r\n\r\n`);
}

/** The JSON payload of a recorded stream frame, as a fresh object to fill in. */
function recordedChunk(name, index) {
  return JSON.parse(
    recordedFrames(name)
      .at(index)
      .replace(/^data: /, ''),
  );
}

/** Headers every Google front end response carries (the ones a client might look at). */
const GOOGLE_HEADERS = {
  server: 'scaffolding on HTTPServer2',
  vary: 'Origin, X-Origin, Referer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'x-xss-protection': '0',
};
const JSON_TYPE = 'application/json; charset=UTF-8';
/** The alt=sse endpoint keeps this content type even for errors, so the SDK reads them as raw text. */
const SSE_TYPE = 'text/event-stream';

const ROUTE =
  /^\/(v1|v1beta|v1alpha)\/((?:models|tunedModels)\/[^/:]+):(generateContent|streamGenerateContent|batchEmbedContents|batchGenerateContent)$/;
const BATCH_ROUTE = /^\/(v1|v1beta|v1alpha)\/batches\/([^/:]+)(:cancel)?$/;

/** As recorded when a reply is only function calls. */
const FUNCTION_CALL_FINISH_MESSAGE = 'Model generated function call(s).';

/** @param {any} ctx see server.mjs */
export async function handle(ctx) {
  const { req, url } = ctx;
  const match = ROUTE.exec(url.pathname);
  if (req.method === 'POST' && match) {
    const [, , resource, method] = match;
    const model = resource.replace(/^(models|tunedModels)\//, '');
    if (method === 'batchEmbedContents') return batchEmbedContents(ctx, model);
    if (method === 'batchGenerateContent') return createBatch(ctx, model);
    if (method === 'generateContent') return generateContent(ctx, model);
    if (url.searchParams.get('alt') === 'sse') return streamGenerateContent(ctx, model);
    return streamAsJsonArray(ctx, model);
  }
  if (req.method === 'GET' && /^\/(v1|v1beta|v1alpha)\/models$/.test(url.pathname)) return listModels(ctx);
  const batchMatch = BATCH_ROUTE.exec(url.pathname);
  if (batchMatch && req.method === 'GET' && !batchMatch[3]) return getBatch(ctx, batchMatch[2]);
  if (batchMatch && req.method === 'POST' && batchMatch[3]) return cancelBatch(ctx, batchMatch[2]);
  return sendError(ctx, 404, prettyError(404, `Method not found: ${req.method} ${url.pathname}`), JSON_TYPE);
}

// ---------------------------------------------------------------------------------------------
// Success

async function generateContent(ctx, model) {
  const { scenario } = ctx;
  if (failed(ctx, JSON_TYPE)) return;
  if (scenario.replay) return replay(ctx);
  const exchange = exchangeFor(ctx, model);
  const parts = [];
  if (scenario.reasoning) parts.push({ text: scenario.reasoning, thought: true });
  if (exchange.functionCalls) parts.push(...exchange.functionCalls);
  else parts.push({ text: exchange.reply });
  const candidatesTokenCount = exchange.usage.outputTokens - exchange.usage.reasoningTokens;
  const response = fillResponse(
    JSON.parse(recording('generateContent_text.json')),
    exchange,
    parts,
    exchange.finishReason,
    usageMetadata(exchange.usage, candidatesTokenCount),
  );
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  // The non-streaming endpoint pretty-prints with two spaces and a final newline.
  sendBody(ctx.res, 200, { ...GOOGLE_HEADERS, 'content-type': JSON_TYPE }, `${JSON.stringify(response, null, 2)}\n`);
}

async function streamGenerateContent(ctx, model) {
  const { res, scenario, record } = ctx;
  record.stream = true;
  if (failed(ctx, SSE_TYPE)) return;
  if (scenario.replay) return replay(ctx);
  const chunks = streamChunks(exchangeFor(ctx, model), scenario);
  const frames = chunks.map((chunk) => `data: ${googleJson(chunk)}\r\n\r\n`);
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  res.writeHead(200, { ...GOOGLE_HEADERS, 'content-type': SSE_TYPE, 'content-disposition': 'attachment' });
  if (scenario.midstreamError) return streamThenFail(ctx, frames[0]);
  // No terminator: the stream ends when the connection closes.
  await writeStream(ctx, frames);
}

/**
 * A recording answered verbatim: a `.sse` one frame by frame (honouring the scenario's delays and
 * cut), a `.json` one as its recorded body, with the recorded status and headers.
 */
async function replay(ctx) {
  const { scenario, res } = ctx;
  const name = scenario.replay;
  const meta = JSON.parse(recording(`${name}.meta.json`));
  if (scenario.firstChunkDelayMs) await sleep(scenario.firstChunkDelayMs);
  const headers = recordedHeaders(meta.response.headers);
  if (meta.response.body_file.endsWith('.sse')) {
    ctx.record.stream = true;
    res.writeHead(meta.response.status, { ...GOOGLE_HEADERS, 'content-type': SSE_TYPE, 'content-disposition': 'attachment', ...headers });
    await writeStream(ctx, recordedFrames(meta.response.body_file));
    return;
  }
  sendBody(res, meta.response.status, { ...GOOGLE_HEADERS, 'content-type': JSON_TYPE, ...headers }, recording(meta.response.body_file));
}

/** Headers that describe the recorded transfer, not the body (the recordings store bodies decoded). */
const TRANSFER_HEADERS = new Set(['content-encoding', 'transfer-encoding', 'content-length', 'date', 'alt-svc', 'server-timing']);

/** A recording's response headers, lower-cased, repeated values joined, transfer headers left out. */
function recordedHeaders(headers = {}) {
  return Object.fromEntries(
    Object.entries(headers)
      .map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)])
      .filter(([name]) => !TRANSFER_HEADERS.has(name)),
  );
}

/**
 * The recordings hold no error inside a 200 stream; the SDK treats a bare `{"error":{…}}` read as
 * an ApiError (throwIfStreamErrorChunk), so the recorded 500 body is sent that way after one chunk.
 */
async function streamThenFail(ctx, firstFrame) {
  const { res, scenario } = ctx;
  res.write(firstFrame);
  // The SDK only recognises the error when it arrives in a read of its own, so let the first
  // frame leave before it.
  await sleep(Math.max(scenario.chunkDelayMs ?? 0, 25));
  if (ctx.closed) return;
  res.end(recording('error_500_internal.json'));
}

/** Without alt=sse the API answers with one JSON array of the same chunks; the SDK never asks for it. */
async function streamAsJsonArray(ctx, model) {
  ctx.record.stream = true;
  if (failed(ctx, JSON_TYPE)) return;
  const chunks = streamChunks(exchangeFor(ctx, model), ctx.scenario);
  if (ctx.scenario.firstChunkDelayMs) await sleep(ctx.scenario.firstChunkDelayMs);
  const body = `[${chunks.map((chunk) => `${JSON.stringify(chunk, null, 2)}\n`).join(',\r\n')}]`;
  sendBody(ctx.res, 200, { ...GOOGLE_HEADERS, 'content-type': JSON_TYPE }, body);
}

/** The recorded list of 45 models (no nextPageToken), whatever page size was asked for. */
async function listModels(ctx) {
  if (failed(ctx, JSON_TYPE)) return;
  sendBody(ctx.res, 200, { ...GOOGLE_HEADERS, 'content-type': JSON_TYPE }, recording('models_list.json'));
}

/**
 * One `{values}` per request, pretty-printed as recorded. Vectors are the scenario's, else
 * deterministic ones of the requested `outputDimensionality` (3072, gemini-embedding-001's own
 * size, when none was asked for) derived from each text.
 */
async function batchEmbedContents(ctx) {
  const { scenario, body } = ctx;
  if (failed(ctx, JSON_TYPE)) return;
  if (scenario.replay) return replay(ctx);
  const requests = Array.isArray(body?.requests) ? body.requests : [];
  const embeddings = requests.map((request, index) => ({
    values: scenario.embeddings?.[index] ?? deterministicVector(partsText(request?.content?.parts), request?.outputDimensionality ?? 3072),
  }));
  sendBody(ctx.res, 200, { ...GOOGLE_HEADERS, 'content-type': JSON_TYPE }, `${JSON.stringify({ embeddings }, null, 2)}\n`);
}

function deterministicVector(text, dimensions) {
  const seed = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, index) => Number(((seed[index % seed.length] - 128) / 1280).toFixed(6)));
}

/**
 * What one request is answered with: the reply (or the scenario's function calls), its usage
 * (from usageFor) and ids.
 */
function exchangeFor(ctx, model) {
  const { provider, scenario, body } = ctx;
  const functionCalls = scenario.toolCalls?.length ? functionCallParts(scenario.toolCalls) : undefined;
  const reply = functionCalls ? JSON.stringify(scenario.toolCalls) : replyText(provider, model, scenario);
  return {
    reply,
    functionCalls,
    usage: usageFor(promptText(body), reply, scenario),
    finishReason: scenario.finishReason === 'length' ? 'MAX_TOKENS' : 'STOP',
    modelVersion: model,
    responseId: randomBytes(17).toString('base64url').slice(0, 23),
  };
}

/**
 * Calls as recorded: `{functionCall: {name, args}}` without an id, the first one carrying a
 * thoughtSignature (the model signs the step, not each call). Ids given in the scenario are
 * dropped, since Gemini sends none.
 */
function functionCallParts(toolCalls) {
  return toolCalls.map((call, index) => {
    const part = { functionCall: { name: call.name, args: call.arguments ?? {} } };
    if (index === 0) part.thoughtSignature = thoughtSignatureFor(toolCalls);
    return part;
  });
}

/** A stable signature-looking string for a set of calls, so tests can check it comes back. */
function thoughtSignatureFor(toolCalls) {
  return createHash('sha256').update(JSON.stringify(toolCalls)).digest('base64');
}

/**
 * The streamed chunks: thought chunks first (when the scenario has reasoning), then the reply,
 * or all function calls in one chunk, as recorded. Every chunk repeats the running usage;
 * finishReason is on the last one only.
 */
function streamChunks(exchange, scenario) {
  const thoughtPieces = scenario.reasoning ? chunkText(scenario.reasoning) : [];
  const { usage } = exchange;
  const chunks = [];
  for (const piece of thoughtPieces) {
    // As recorded: while the model is still thinking, candidatesTokenCount is absent.
    chunks.push(responseChunk(exchange, [{ text: piece, thought: true }], undefined, usageMetadata(usage, undefined)));
  }
  if (exchange.functionCalls) {
    const candidates = usage.outputTokens - usage.reasoningTokens;
    chunks.push(responseChunk(exchange, exchange.functionCalls, exchange.finishReason, usageMetadata(usage, candidates)));
    return chunks;
  }
  const textPieces = chunkText(exchange.reply);
  textPieces.forEach((piece, index) => {
    const isLast = index === textPieces.length - 1;
    // Cumulative, ending at exactly what usageFor says.
    const candidates = Math.round(((usage.outputTokens - usage.reasoningTokens) * (index + 1)) / textPieces.length);
    chunks.push(responseChunk(exchange, [{ text: piece }], isLast ? exchange.finishReason : undefined, usageMetadata(usage, candidates)));
  });
  return chunks;
}

/** A stream chunk built on the recorded last frame of sse_text, so keys keep Google's order. */
function responseChunk(exchange, parts, finishReason, usageMetadata) {
  return fillResponse(recordedChunk('sse_text.sse', -1), exchange, parts, finishReason, usageMetadata);
}

/** A recorded response with its candidate, usage and ids replaced; absent values are dropped on output. */
function fillResponse(response, exchange, parts, finishReason, usageMetadata) {
  const [candidate] = response.candidates;
  candidate.content.parts = parts;
  candidate.finishReason = finishReason;
  if (finishReason !== undefined && parts.some((part) => part.functionCall)) candidate.finishMessage = FUNCTION_CALL_FINISH_MESSAGE;
  response.usageMetadata = usageMetadata;
  response.modelVersion = exchange.modelVersion;
  response.responseId = exchange.responseId;
  return response;
}

/** usageMetadata in the server's key order; absent counts are left out, as the API does. */
function usageMetadata(usage, candidatesTokenCount) {
  const thoughts = usage.reasoningTokens > 0 ? usage.reasoningTokens : undefined;
  const cached = usage.cachedInputTokens > 0 ? usage.cachedInputTokens : undefined;
  return {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount,
    totalTokenCount: usage.inputTokens + (candidatesTokenCount ?? 0) + (thoughts ?? 0),
    cachedContentTokenCount: cached,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.inputTokens }],
    cacheTokensDetails: cached === undefined ? undefined : [{ modality: 'TEXT', tokenCount: cached }],
    thoughtsTokenCount: thoughts,
  };
}

/** All text the request sent (system instruction, turns, function results), for the token estimate. */
function promptText(body) {
  if (!body || typeof body !== 'object') return '';
  const contents = [body.systemInstruction, ...(Array.isArray(body.contents) ? body.contents : [])];
  return contents.map((content) => partsText(content?.parts)).join('\n');
}

function partsText(parts) {
  return (Array.isArray(parts) ? parts : [])
    .map((part) => {
      if (typeof part?.text === 'string') return part.text;
      if (part?.functionResponse) return JSON.stringify(part.functionResponse.response ?? {});
      return '';
    })
    .join('\n');
}

/**
 * JSON as the streaming endpoint prints it: `": "` after keys, no space after commas, one line.
 * Undefined members are dropped like JSON.stringify does.
 */
function googleJson(value) {
  if (Array.isArray(value)) return `[${value.map(googleJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined);
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}: ${googleJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * Answers with the scenario's error, or the real no-key 403 when no key was sent, and says whether
 * it did. `contentType` is the endpoint's: errors on alt=sse keep text/event-stream.
 */
function failed(ctx, contentType) {
  const { req, url, scenario } = ctx;
  if (scenario.error) {
    const { status, body } = errorFor(scenario.error, contentType === SSE_TYPE);
    sendError(ctx, status, body, contentType);
    return true;
  }
  if (!req.headers['x-goog-api-key'] && !url.searchParams.get('key')) {
    sendError(ctx, 403, recording('error_403_permission_denied_no_key.json'), contentType);
    return true;
  }
  return false;
}

function sendError(ctx, status, body, contentType) {
  sendBody(ctx.res, status, { ...GOOGLE_HEADERS, 'content-type': contentType }, body);
}

/** The recorded body for a status; statuses with no recording get the same envelope. */
function errorFor(error, onStreamEndpoint) {
  switch (error.status) {
    case 400:
      if (error.variant === 'invalid-argument') return { status: 400, body: prettyError(400, 'Request contains an invalid argument.') };
      return apiKeyInvalid(onStreamEndpoint);
    case 401:
      // Gemini never answers 401: a rejected key is a 400 INVALID_ARGUMENT with API_KEY_INVALID.
      return apiKeyInvalid(onStreamEndpoint);
    case 403:
      return { status: 403, body: recording('error_403_permission_denied_no_key.json') };
    case 404:
      return { status: 404, body: recording('error_404_model_not_found_sse.json') };
    case 429:
      return { status: 429, body: resourceExhausted(error) };
    case 500:
      return { status: 500, body: recording('error_500_internal.json') };
    case 503:
      return { status: 503, body: recording('error_503_unavailable_overloaded.json') };
    default:
      return { status: error.status, body: prettyError(error.status, `The service returned ${error.status}.`) };
  }
}

function apiKeyInvalid(onStreamEndpoint) {
  const name = onStreamEndpoint ? 'error_400_api_key_invalid_on_sse.json' : 'error_400_api_key_invalid.json';
  return { status: 400, body: recording(name) };
}

/**
 * The recorded 429 with its RetryInfo.retryDelay (and the "Please retry in" sentence) set from the
 * scenario. The recording says 48 s; tests must never wait that long, so the default is 0 s.
 */
function resourceExhausted(error) {
  const seconds = error.retryAfterMs !== undefined ? error.retryAfterMs / 1000 : (error.retryAfterSeconds ?? 0);
  return recording('error_429_resource_exhausted_retryinfo.json')
    .replace('"retryDelay": "48s"', `"retryDelay": "${seconds}s"`)
    .replace('Please retry in 48.939935699s.', `Please retry in ${seconds}s.`);
}

const STATUS_NAMES = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's error envelope, pretty-printed like the recorded ones. */
function prettyError(code, message) {
  return `${JSON.stringify({ error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' } }, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Batch mode (batchGenerateContent_create, batch_get_running, batch_get_succeeded): a batch is
// RUNNING at its first get and SUCCEEDED, with its answers inlined, from the second on. Cancel is
// not recorded: it answers `{}` (google.protobuf.Empty, as the API documents), and the batch is
// CANCELLED from then on.

const batches = new Map();

function batchOperation(batch, name, metadataChanges) {
  const operation = JSON.parse(recording(name));
  operation.name = batch.name;
  Object.assign(
    operation.metadata,
    {
      name: batch.name,
      model: batch.model,
      displayName: batch.displayName,
      createTime: batch.createTime,
      updateTime: new Date().toISOString(),
    },
    metadataChanges,
  );
  return operation;
}

function sendOperation(ctx, operation) {
  sendBody(ctx.res, 200, { ...GOOGLE_HEADERS, 'content-type': JSON_TYPE }, `${JSON.stringify(operation, null, 2)}\n`);
}

async function createBatch(ctx, model) {
  if (failed(ctx, JSON_TYPE)) return;
  const requests = ctx.body?.batch?.inputConfig?.requests?.requests;
  if (!Array.isArray(requests))
    return sendError(ctx, 400, prettyError(400, 'Invalid JSON payload: batch.inputConfig is required.'), JSON_TYPE);
  const batch = {
    name: `batches/${randomBytes(20).toString('hex').slice(0, 36)}`,
    model: `models/${model}`,
    displayName: ctx.body.batch.displayName,
    createTime: new Date().toISOString(),
    requests,
    gets: 0,
    cancelled: false,
  };
  batches.set(batch.name, batch);
  const total = String(requests.length);
  sendOperation(
    ctx,
    batchOperation(batch, 'batchGenerateContent_create.json', { batchStats: { requestCount: total, pendingRequestCount: total } }),
  );
}

async function getBatch(ctx, id) {
  const batch = batches.get(`batches/${id}`);
  if (!batch) return sendError(ctx, 404, prettyError(404, `Batch batches/${id} not found.`), JSON_TYPE);
  batch.gets += 1;
  const total = String(batch.requests.length);
  if (batch.cancelled)
    return sendOperation(
      ctx,
      batchOperation(batch, 'batch_get_running.json', { state: 'BATCH_STATE_CANCELLED', batchStats: { requestCount: total } }),
    );
  if (batch.gets < 2)
    return sendOperation(
      ctx,
      batchOperation(batch, 'batch_get_running.json', { batchStats: { requestCount: total, pendingRequestCount: total } }),
    );
  const answers = batch.requests.map((entry) => {
    const exchange = exchangeFor({ ...ctx, body: entry.request, scenario: {} }, batch.model.replace(/^models\//, ''));
    const response = fillResponse(
      JSON.parse(recording('generateContent_text.json')),
      exchange,
      [{ text: exchange.reply }],
      exchange.finishReason,
      usageMetadata(exchange.usage, exchange.usage.outputTokens),
    );
    return { response, metadata: entry.metadata };
  });
  const operation = batchOperation(batch, 'batch_get_succeeded.json', {
    batchStats: { requestCount: total, successfulRequestCount: total },
  });
  operation.metadata.output = { inlinedResponses: { inlinedResponses: answers } };
  if (operation.response) operation.response.inlinedResponses = { inlinedResponses: answers };
  sendOperation(ctx, operation);
}

async function cancelBatch(ctx, id) {
  const batch = batches.get(`batches/${id}`);
  if (!batch) return sendError(ctx, 404, prettyError(404, `Batch batches/${id} not found.`), JSON_TYPE);
  batch.cancelled = true;
  sendBody(ctx.res, 200, { ...GOOGLE_HEADERS, 'content-type': JSON_TYPE }, '{}\n');
}
