#!/usr/bin/env node
// npm run bench: medians of repeated runs, each row a ratio against its floor measured in the
// same run, against the fake providers on loopback. Not a test: it prints a table and writes
// .bench/latest.json (and a timestamped copy) so runs can be compared.
//
//   npm run bench                 all rows (a few minutes)
//   npm run bench -- --quick      fewer repetitions
//   npm run bench -- --only=chat  some sections: startup, ask, schema, tools, parallel, chain, batch, usage, vault, chat,
//                                 scale (scale = conversations, budgets, fan-out, long-chat; no report written)
//   npm run bench -- --bin=PATH   measure another build's bin/llmo.js (to compare two builds)
//   npm run bench -- --peers      also install @google/gemini-cli and @qwen-code/qwen-code into a
//                                 temporary folder and measure them the same way
//
// It builds its own copy of llmo into a temporary folder and measures that, so a rebuild of dist/
// while it runs (tests rebuild it) cannot pull chunks from under a running llmo. Everything it
// starts (the fake providers, a private tmux server, child processes) is stopped on the way out,
// Ctrl-C included.
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { startFakeProviders } from '../test/fake-providers/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const only = [...args]
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (section) => !only || only.includes(section);
const otherBuild = [...args].find((arg) => arg.startsWith('--bin='))?.slice('--bin='.length);
const RUNS = quick ? 3 : 9;
const STARTUP_RUNS = quick ? 7 : 21;
const CHAT_RUNS = quick ? 3 : 5;
const RUN_TIMEOUT_MS = 60_000;
const hasTime = existsSync('/usr/bin/time');
const hasTmux = commandExists('tmux', ['-V']);

const scratch = mkdtempSync(path.join(tmpdir(), 'llmo-bench-'));
// A private tmux server whose socket goes away with the scratch folder.
const TMUX_SOCKET = path.join(scratch, 'tmux.sock');
const home = path.join(scratch, 'home');
const children = new Set();
let fake;
let tmuxStarted = false;

async function main() {
  const llmo = otherBuild ? path.resolve(otherBuild) : buildPrivateCopy();
  fake = await startFakeProviders();
  mkdirSync(home);
  // Dated in the past so the configuration cache trusts it from the first run (as for a user
  // whose config.yaml was not written a second ago).
  writeFileSync(
    path.join(home, 'config.yaml'),
    `ask:\n  save: false\nmcp:\n  servers:\n    ev: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(EVERYTHING)}] }\n`,
  );
  backdate(path.join(home, 'config.yaml'));
  const env = { ...cleanEnv(), ...fake.env(), ...KEYS, LLMO_HOME: home, NO_COLOR: '1' };
  const bench = { llmo, env, rows: [] };

  process.stderr.write(`llmo bench: ${RUNS} runs per row (${STARTUP_RUNS} for startup), medians; ${cpus().length} CPUs\n`);
  if (wanted('startup')) await benchStartup(bench);
  if (wanted('ask')) await benchAsk(bench);
  if (wanted('schema')) await benchSchema(bench);
  if (wanted('tools')) await benchTools(bench);
  if (wanted('parallel')) await benchParallel(bench);
  if (wanted('chain')) await benchChain(bench);
  if (wanted('batch')) await benchBatch(bench);
  if (wanted('usage')) await benchUsage(bench);
  if (wanted('vault')) await benchVault(bench);
  if (wanted('chat') && hasTmux) await benchChat(bench);
  else if (wanted('chat')) process.stderr.write('  (tmux not installed: chat rows skipped)\n');
  // `scale` is all four: --only=conversations, --only=budgets, --only=fan-out or --only=long-chat for one.
  if (wanted('scale') || wanted('conversations')) await benchConversations(bench);
  if (wanted('scale') || wanted('budgets')) await benchBudgets(bench);
  if (wanted('scale') || wanted('fan-out')) await benchFanOut(bench);
  if ((wanted('scale') || wanted('long-chat')) && hasTmux) await benchLongChat(bench);
  if (args.has('--peers')) await benchPeers(bench);

  printTable(bench.rows);
  // .bench/latest.json is for full runs of this source tree only.
  if (!only && !otherBuild) writeReport(bench.rows);
}

// ---------------------------------------------------------------------------------------------
// The rows.

async function benchStartup({ llmo, env, rows }) {
  const node = [process.execPath, ['-e', '0']];
  const version = await compare(env, STARTUP_RUNS, [process.execPath, [llmo, '--version']], node);
  addRow(rows, 'llmo --version', 'ms', version.command.wallMs, 'node -e 0', version.floor.wallMs, { ratio: 1.3 });
  const help = await compare(env, Math.ceil(STARTUP_RUNS / 2), [process.execPath, [llmo, '--help']], node);
  addRow(rows, 'llmo --help', 'ms', help.command.wallMs, 'node -e 0', help.floor.wallMs);
  const askHelp = await compare(env, Math.ceil(STARTUP_RUNS / 2), [process.execPath, [llmo, 'ask', '--help']], node);
  addRow(rows, 'llmo ask --help', 'ms', askHelp.command.wallMs, 'node -e 0', askHelp.floor.wallMs);
}

const VENDORS = [
  { provider: 'openai', ref: 'openai:gpt-4o-mini', model: 'gpt-4o-mini' },
  { provider: 'anthropic', ref: 'anthropic:claude-haiku-4-5', model: 'claude-haiku-4-5' },
  { provider: 'gemini', ref: 'gemini:gemini-2.5-flash', model: 'gemini-2.5-flash' },
  { provider: 'mistral', ref: 'mistral:mistral-small-latest', model: 'mistral-small-latest' },
];

async function benchAsk({ llmo, env, rows }) {
  for (const words of [200, 5000]) {
    for (const vendor of VENDORS) {
      const result = await compare(
        env,
        RUNS,
        [process.execPath, [llmo, 'ask', '--no-save', '-m', vendor.ref, 'hello']],
        [process.execPath, [path.join(root, 'scripts', 'bench', `raw-${vendor.provider}.mjs`), vendor.model, 'hello']],
        () => fake.setDefault(vendor.provider, { words }),
      );
      addRow(
        rows,
        `llmo ask ${vendor.provider} ${words} words`,
        'ms',
        result.command.wallMs,
        `raw ${vendor.provider} SDK script`,
        result.floor.wallMs,
        { ratio: 1.1 },
      );
      if (words === 200 && vendor.provider === 'openai') {
        addRow(rows, 'llmo ask peak RSS', 'MiB', result.command.rssMiB, 'raw openai SDK script', result.floor.rssMiB);
      }
    }
  }
  // A response-cache hit makes no request and loads no SDK: it should cost about what --version does.
  const cached = [process.execPath, [llmo, 'ask', '--no-save', '--cache', '-m', 'openai:gpt-4o-mini', 'a question asked before']];
  await runOnce(env, ...cached);
  const hit = await compare(env, STARTUP_RUNS, cached, [process.execPath, [llmo, '--version']]);
  addRow(rows, 'llmo ask, response-cache hit', 'ms', hit.command.wallMs, 'llmo --version', hit.floor.wallMs, { ratio: 1.2 });
}

/**
 * What `--schema` adds to a call: the same reply asked for with and without a schema, so the
 * difference is loading Ajv, checking and compiling the schema, and validating the reply.
 */
async function benchSchema({ llmo, env, rows }) {
  const reply = { text: '{"title": "Dune", "year": 1965, "tags": ["desert", "epic"]}' };
  const ask = ['ask', '--no-save', '-m', 'openai:gpt-4o-mini'];
  const result = await compare(
    env,
    RUNS,
    [process.execPath, [llmo, ...ask, '--schema', 'title, year int, tags [str]', 'hello']],
    [process.execPath, [llmo, ...ask, 'hello']],
    () => fake.setDefault('openai', reply),
  );
  addRow(rows, 'llmo ask --schema (validation added)', 'ms', result.command.wallMs, 'the same ask without --schema', result.floor.wallMs, {
    addedMs: 20,
    strict: true,
  });
  // CPU time tells the same story on a machine busy with other work, where wall time wanders.
  if (hasTime) {
    addRow(
      rows,
      'llmo ask --schema CPU (validation added)',
      'ms',
      result.command.cpuMs,
      'the same ask without --schema',
      result.floor.cpuMs,
      {
        addedMs: 20,
        strict: true,
      },
    );
  }
}

const EVERYTHING = path.join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

/**
 * `ask --tools` with one stdio server against a tool-less ask (the model answers without calling a
 * tool, so the difference is the tools' setup): it may cost the server's own start (an SDK script
 * starting it and listing its tools, minus node's start) plus at most 50 ms.
 */
async function benchTools({ llmo, env, rows }) {
  const prepare = () => fake.setDefault('openai', { words: 20 });
  const ask = (extra) => [process.execPath, [llmo, 'ask', '--no-save', '-m', 'openai:gpt-4o-mini', ...extra, 'hello']];
  const withTools = await compare(env, RUNS, ask(['--tools', 'ev']), ask([]), prepare);
  addRow(rows, 'llmo ask --tools (1 stdio server)', 'ms', withTools.command.wallMs, 'llmo ask, no tools', withTools.floor.wallMs);
  const server = await compare(
    env,
    RUNS,
    [process.execPath, [path.join(root, 'scripts', 'bench', 'raw-mcp-list.mjs'), EVERYTHING]],
    [process.execPath, ['-e', '0']],
  );
  const serverStart = server.command.wallMs - server.floor.wallMs;
  addRow(rows, 'MCP server start + tools/list', 'ms', serverStart, '(SDK script − node -e 0)', undefined);
  addRow(
    rows,
    'tools overhead beyond the server start',
    'ms',
    withTools.command.wallMs - withTools.floor.wallMs - serverStart,
    '',
    undefined,
    {
      ms: 50,
    },
  );
}

/** Five models whose replies each take ~1 s, against the slowest of them asked alone. */
async function benchParallel({ llmo, env, rows }) {
  const slow = { firstChunkDelayMs: 1000, words: 50 };
  const providers = ['openai', 'anthropic', 'gemini', 'mistral', 'deepseek'];
  const models = [
    'openai:gpt-4o-mini',
    'anthropic:claude-haiku-4-5',
    'gemini:gemini-2.5-flash',
    'mistral:mistral-small-latest',
    'deepseek',
  ];
  const result = await compare(
    env,
    Math.min(RUNS, 5),
    [process.execPath, [llmo, 'parallel', '--quiet', ...models.flatMap((model) => ['-m', model]), 'hello']],
    [process.execPath, [llmo, 'ask', '--no-save', '-m', 'mistral:mistral-small-latest', 'hello']],
    () => {
      for (const provider of providers) fake.setDefault(provider, slow);
    },
  );
  addRow(rows, 'llmo parallel × 5 (1 s each)', 'ms', result.command.wallMs, 'slowest single ask', result.floor.wallMs, {
    ms: 1500,
    strict: true,
  });
}

/**
 * What a chain costs beyond its models' time: 50 steps in a row against a fake that takes 100 ms
 * before each answer, so the provider time is 50 × 100 ms; everything else (starting llmo once,
 * checking the chain, rendering prompts, 50 usage records, saving the run) must stay under 5 % of
 * it. 50 separate `llmo ask` calls doing the same work are the row below it, for comparison: each
 * pays node's and llmo's start again.
 */
async function benchChain({ llmo, env, rows }) {
  const steps = 50;
  const latencyMs = 100;
  const providerMs = steps * latencyMs;
  const file = path.join(scratch, 'fifty-steps.yaml');
  const lines = Array.from({ length: steps }, (_, index) => `  - { name: s${index + 1}, model: openai:gpt-4o-mini }`);
  writeFileSync(file, `description: ${steps} steps in a row\nsteps:\n${lines.join('\n')}\n`);
  fake.setDefault('openai', { firstChunkDelayMs: latencyMs, words: 20 });
  const chain = [process.execPath, [llmo, 'chain', 'run', '--quiet', file, 'hello']];
  await runOnce(env, ...chain); // warms the file cache
  const timings = [];
  for (let run = 0; run < Math.min(RUNS, 5); run += 1) timings.push(await runOnce(env, ...chain));
  const chainMs = median(timings.map((timing) => timing.wallMs));
  addRow(rows, `llmo chain run, ${steps} steps (${latencyMs} ms each)`, 'ms', chainMs, `${steps} × provider latency`, providerMs, {
    ratio: 1.05,
    strict: true,
  });
  // On a busy machine wall time waits for a core; the CPU llmo spent is what it adds when one is free.
  if (hasTime) {
    const cpuMs = median(timings.map((timing) => timing.cpuMs));
    addRow(rows, `llmo chain run, ${steps} steps: CPU`, 'ms', cpuMs, `${steps} × provider latency`, providerMs, {
      ratio: 0.05,
      strict: true,
    });
  }
  // The same calls through the bare SDK: what remains is llmo's own orchestration (the SDK and
  // node's fetch alone are over 5 % of 100 ms a call on a 2-core machine).
  const sdkSteps = [];
  for (let run = 0; run < Math.min(RUNS, 5); run += 1) {
    sdkSteps.push(await runOnce(env, process.execPath, [path.join(root, 'scripts', 'bench', 'raw-openai-steps.mjs'), String(steps)]));
  }
  const sdkMs = median(sdkSteps.map((timing) => timing.wallMs));
  addRow(rows, `llmo chain run, ${steps} steps, vs the bare SDK`, 'ms', chainMs, `raw openai SDK, ${steps} calls in a row`, sdkMs, {
    ratio: 1.05,
  });
  let asksMs = 0;
  for (let ask = 0; ask < steps; ask += 1) {
    asksMs += (await runOnce(env, process.execPath, [llmo, 'ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'hello'])).wallMs;
  }
  addRow(rows, `${steps} × llmo ask (${latencyMs} ms each)`, 'ms', asksMs, `${steps} × provider latency`, providerMs);
  const percent = (wallMs) => (((wallMs - providerMs) / providerMs) * 100).toFixed(1);
  process.stderr.write(
    `  orchestration overhead: chain ${percent(chainMs)} %, ${steps} asks ${percent(asksMs)} %, bare SDK ${percent(sdkMs)} %\n`,
  );
  fake.setDefault('openai', {});
}

/** `llmo usage` over a 100,000-record, 90-day log (the log the usage tests generate, at full size). */
async function benchUsage({ llmo, env, rows }) {
  const usageHome = path.join(scratch, 'usage-home');
  mkdirSync(usageHome);
  const { generateLog } = await importTypeScript(path.join(root, 'src', 'usage', 'usage-fixtures.test-support.ts'));
  generateLog(path.join(usageHome, 'usage'), 100_000, { days: 90 });
  const usageEnv = { ...env, LLMO_HOME: usageHome };
  for (const args of [['usage'], ['usage', '--json', '--by', 'model']]) {
    const result = await compare(usageEnv, RUNS, [process.execPath, [llmo, ...args]], [process.execPath, [llmo, '--version']]);
    addRow(rows, `llmo ${args.join(' ')}, 100,000 records`, 'ms', result.command.wallMs, 'llmo --version', result.floor.wallMs, {
      ms: 2000,
      strict: true,
    });
  }
}

/**
 * The vault with the real, calibrated scrypt cost: an ask that derives the key from a password
 * file pays the KDF every call; one through the unlocked agent must cost about as much as one
 * with the key in the environment.
 */
async function benchVault({ llmo, env, rows }) {
  const vaultHome = path.join(scratch, 'vault-home');
  mkdirSync(vaultHome);
  const passwordFile = path.join(vaultHome, 'password.txt');
  writeFileSync(passwordFile, 'correct horse battery staple\n', { mode: 0o600 });
  const vaultEnv = { ...env, LLMO_HOME: vaultHome };
  delete vaultEnv.OPENAI_API_KEY;
  const ask = [process.execPath, [llmo, 'ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'hello']];
  await runOnce(vaultEnv, process.execPath, [llmo, 'auth', 'init', '--password-file', passwordFile]);
  await runWithInput(vaultEnv, [llmo, 'auth', 'add', 'openai', '--password-file', passwordFile], 'bench-key\n');
  fake.setDefault('openai', { words: 50 });
  const withPassword = await compare({ ...vaultEnv, LLMO_PASSWORD_FILE: passwordFile }, Math.min(RUNS, 5), ask, ask);
  await runOnce(vaultEnv, process.execPath, [llmo, 'auth', 'unlock', '--password-file', passwordFile]);
  vaultAgents.add({ llmo, env: vaultEnv });
  const withAgent = await compare(vaultEnv, Math.min(RUNS, 5), ask, ask);
  const withEnv = await compare(env, Math.min(RUNS, 5), ask, ask);
  addRow(
    rows,
    'llmo ask, vault via password file (KDF)',
    'ms',
    withPassword.command.wallMs,
    'key in the environment',
    withEnv.floor.wallMs,
  );
  addRow(rows, 'llmo ask, vault via the agent', 'ms', withAgent.command.wallMs, 'key in the environment', withEnv.floor.wallMs, {
    ratio: 1.3,
  });
}

/** Vault homes whose agent must be locked on the way out. */
const vaultAgents = new Set();

function runWithInput(env, commandArgs, input) {
  execFileSync(process.execPath, commandArgs, { env, input, stdio: ['pipe', 'ignore', 'ignore'] });
}

/** Loads one TypeScript module of the source tree (bundled by esbuild into the scratch folder). */
async function importTypeScript(file) {
  const { build } = await import('esbuild');
  const outfile = path.join(scratch, `${path.basename(file, '.ts')}.mjs`);
  await build({ entryPoints: [file], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  return import(outfile);
}

/**
 * `llmo batch run`: 1,000 short prompts at concurrency 16 against replies that each take 100 ms,
 * against the ideal 1,000 / 16 × 100 ms (process start-up included in the measured time); then
 * the peak RSS of a 100,000-line batch, which streams its input and output and so stays flat.
 */
async function benchBatch({ llmo, env, rows }) {
  const lines = (count) => {
    const file = path.join(scratch, `batch-${count}.jsonl`);
    const text = [];
    for (let index = 0; index < count; index += 1) text.push(JSON.stringify({ id: `line-${index}`, prompt: `Say hi to number ${index}` }));
    writeFileSync(file, `${text.join('\n')}\n`);
    return file;
  };
  const small = lines(1000);
  const batchArgs = (file, concurrency) => [
    llmo,
    'batch',
    'run',
    file,
    '-m',
    'openai:gpt-4o-mini',
    '--concurrency',
    String(concurrency),
    '-q',
    '-o',
    path.join(scratch, 'batch-out.jsonl'),
  ];
  fake.setDefault('openai', { firstChunkDelayMs: 100, words: 5 });
  const timings = [];
  for (let run = 0; run < Math.min(RUNS, 3); run += 1) timings.push(await runOnce(env, process.execPath, batchArgs(small, 16)));
  const idealMs = (1000 / 16) * 100;
  addRow(
    rows,
    'llmo batch run 1,000 × 100 ms, concurrency 16',
    'ms',
    median(timings.map((timing) => timing.wallMs)),
    'ideal 1,000 / 16 × 100 ms',
    idealMs,
    { ratio: 1.2 },
  );

  // The same 1,000 requests from a raw SDK script at concurrency 16: what this machine allows now.
  const raw = [];
  for (let run = 0; run < Math.min(RUNS, 3); run += 1)
    raw.push(await runOnce(env, process.execPath, [path.join(root, 'scripts', 'bench', 'raw-openai-batch.mjs'), small, '16']));
  addRow(
    rows,
    'llmo batch run 1,000 × 100 ms vs raw SDK',
    'ms',
    median(timings.map((timing) => timing.wallMs)),
    'raw SDK script, concurrency 16',
    median(raw.map((timing) => timing.wallMs)),
    { ratio: 1.1 },
  );
  addRow(
    rows,
    'llmo batch run 1,000 CPU',
    'ms',
    median(timings.map((timing) => timing.cpuMs)),
    'raw SDK script CPU',
    median(raw.map((timing) => timing.cpuMs)),
  );

  fake.setDefault('openai', { words: 5 });
  const big = lines(quick ? 20_000 : 100_000);
  const heavy = await runOnce(env, process.execPath, batchArgs(big, 64), { timeoutMs: 15 * 60_000 });
  addRow(rows, `llmo batch run peak RSS, ${quick ? '20,000' : '100,000'} lines`, 'MiB', heavy.rssMiB, 'limit', 150, {
    ratio: 1,
    strict: true,
  });
  fake.setDefault('openai', {});
}

/** The chat under tmux: time to the first drawn prompt, and CPU while streaming 5,000 words. */
async function benchChat(bench) {
  const { env, rows } = bench;
  // The floor: the raw SDK loop's own CPU, measured inside the script, SDK loading included.
  const loopCpu = [];
  fake.setDefault('openai', { words: 5000 });
  for (let run = 0; run < RUNS; run += 1) {
    const cpuFile = path.join(scratch, `loop-cpu-${run}`);
    await runOnce({ ...env, BENCH_CPU_FILE: cpuFile }, process.execPath, [
      path.join(root, 'scripts', 'bench', 'raw-openai-loop.mjs'),
      'gpt-4o-mini',
      'hello',
    ]);
    if (run > 0) loopCpu.push(Number(readFileSync(cpuFile, 'utf8')));
  }

  // One private tmux server for all sessions, kept up by an idle session, so each run measures
  // llmo and not the server's start.
  tmuxStarted = true;
  tmux(env, 'new-session', '-d', '-s', 'keeper', '-x', '120', '-y', '40', 'sleep', '3600');
  const firstPrompt = [];
  const streamingCpu = [];
  for (let run = 0; run <= CHAT_RUNS; run += 1) {
    const measured = await measureChat(bench, run);
    if (run === 0) continue; // warms the file cache
    if (measured.firstPromptMs !== undefined) firstPrompt.push(measured.firstPromptMs);
    if (measured.streamingCpuMs !== undefined) streamingCpu.push(measured.streamingCpuMs);
  }
  addRow(rows, 'llmo chat first prompt', 'ms', median(firstPrompt), '', undefined, { ms: 500 });
  addRow(rows, 'llmo chat CPU streaming 5,000 words', 'ms', median(streamingCpu), 'raw openai SDK loop CPU', median(loopCpu), {
    ratio: 2,
    strict: true,
  });
}

// What the chat writes to its terminal: the input prompt, and the status line once a reply is done.
const PROMPT_DRAWN = /[›>❯]\s+Ask anything/;
// Counts as the status line prints them: 5,000, or 50.0k and 1.20M past 10,000.
const REPLY_DONE = /last [\d,.]+[kM]? in \/ [\d,.]+[kM]? out/;

/**
 * Opens `llmo chat` in a new session of the private tmux server, waiting for the tmux signal
 * `go-SESSION` to start; returns its output, followed from a file the pane is piped to.
 */
function openChatSession({ llmo, env }, session, chatArgs = []) {
  const outputFile = path.join(scratch, `${session}.out`);
  writeFileSync(outputFile, '');
  const output = followFile(outputFile);
  const envArgs = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;
  const script = `tmux -S ${quote(TMUX_SOCKET)} wait-for go-${session} && exec ${quote(process.execPath)} ${quote(llmo)} chat -m openai:gpt-4o-mini ${chatArgs.map(quote).join(' ')}`;
  tmux(env, 'new-session', '-d', '-s', session, '-x', '120', '-y', '40', ...envArgs, 'sh', '-c', script);
  tmux(env, 'pipe-pane', '-O', '-t', session, `cat >> ${quote(outputFile)}`);
  return output;
}

/**
 * One chat session in the private tmux server. The pane's output is piped to a file from before
 * llmo starts (the pane waits for a tmux signal), so the first frame is seen the moment llmo
 * writes it, without polling tmux.
 */
async function measureChat({ llmo, env }, run, options = {}) {
  const session = `chat${run}`;
  fake.setDefault('openai', { words: 5000 });
  try {
    const output = openChatSession({ llmo, env }, session, options.chatArgs);
    const started = performance.now();
    tmux(env, 'wait-for', '-S', `go-${session}`);
    const drawn = await waitFor(() => PROMPT_DRAWN.test(output.recent()), 10_000, 5);
    const firstPromptMs = drawn ? performance.now() - started : undefined;
    if (!drawn) {
      process.stderr.write(
        `  chat run ${run}: no prompt within 10 s; the screen was:\n${tmux(env, 'capture-pane', '-p', '-t', session)}\n`,
      );
      return {};
    }
    if (options.promptOnly) return { firstPromptMs };
    const pid = Number(tmux(env, 'list-panes', '-t', session, '-F', '#{pane_pid}').trim());
    // Let whatever the UI does after its first frame settle, so it is not billed to streaming.
    await waitForIdle(pid, 3000);
    const before = cpuMsOf(pid);
    output.skip();
    tmux(env, 'send-keys', '-t', session, 'write a long story', 'Enter');
    const finished = await waitFor(() => REPLY_DONE.test(output.recent()), 60_000, 20);
    if (!finished) {
      process.stderr.write(
        `  chat run ${run}: the reply did not finish; the screen was:\n${tmux(env, 'capture-pane', '-p', '-t', session)}\n`,
      );
      return { firstPromptMs };
    }
    // The status line is drawn when the last chunk arrives; the reply is done when the UI has
    // also finished laying it out and gone quiet.
    await waitForIdle(pid, 10_000);
    return { firstPromptMs, streamingCpuMs: cpuMsOf(pid) - before };
  } finally {
    tmuxQuiet(env, 'kill-session', '-t', session);
  }
}

/**
 * A year of use: 10,000 saved conversations, a million usage records this month (a 600 MiB month
 * file), and 20 models at once. Each case against its floor measured in the same run; peak RSS of
 * each under 150 MiB. The fixtures are written directly (seconds) into their own LLMO_HOME inside
 * the scratch folder, and go with it.
 */
const rssTarget = { ms: 150 }; // a limit on the value alone (in MiB for these rows)
const rssRow = (rows, name, result) => addRow(rows, `${name} peak RSS`, 'MiB', result.command.rssMiB, '', undefined, rssTarget);

async function benchConversations({ llmo, env, rows }) {
  // Conversations: one real one saved by llmo, cloned 10,000 times.
  const conversationsHome = path.join(scratch, 'home-conversations');
  mkdirSync(conversationsHome);
  const conversationsEnv = { ...env, LLMO_HOME: conversationsHome };
  fake.setDefault('openai', { words: 50 });
  await runOnce(conversationsEnv, process.execPath, [llmo, 'ask', '-m', 'openai:gpt-4o-mini', 'hello']);
  const started = performance.now();
  const count = writeConversations(path.join(conversationsHome, 'conversations'), 10_000);
  process.stderr.write(`  wrote ${count} conversations in ${Math.round(performance.now() - started)} ms\n`);
  const ask = askWith(llmo);
  // The first run builds the index (the one read of the whole store); compare() warms up with it.
  const askContinue = await compare(conversationsEnv, RUNS, ask('-c'), ask());
  addRow(rows, 'llmo ask -c, 10,000 conversations', 'ms', askContinue.command.wallMs, 'plain ask (saving)', askContinue.floor.wallMs, {
    ratio: 1.2,
  });
  rssRow(rows, 'llmo ask -c, 10,000 conversations', askContinue);
  // CPU time tells the same story on a machine busy with other work, where wall time wanders.
  if (hasTime) {
    addRow(rows, 'llmo ask -c CPU, 10,000', 'ms', askContinue.command.cpuMs, 'plain ask CPU', askContinue.floor.cpuMs, { ratio: 1.2 });
  }
  const list = await compare(
    conversationsEnv,
    RUNS,
    [process.execPath, [llmo, 'conversations', 'list']],
    [process.execPath, [llmo, '--version']],
  );
  // `list` shows the newest 50 (as `search` does); `--all` prints all 10,000 rows.
  addRow(rows, 'llmo conversations list, 10,000', 'ms', list.command.wallMs, 'llmo --version', list.floor.wallMs, { ratio: 1.5 });
  rssRow(rows, 'llmo conversations list, 10,000', list);
  if (hasTime) {
    addRow(rows, 'llmo conversations list CPU, 10,000', 'ms', list.command.cpuMs, 'llmo --version CPU', list.floor.cpuMs, { ratio: 1.5 });
  }
  /** A command over the 10,000 that must finish within a second (--version measured beside it). */
  const withinASecond = async (label, args) => {
    const result = await compare(conversationsEnv, RUNS, [process.execPath, [llmo, ...args]], [process.execPath, [llmo, '--version']]);
    addRow(rows, label, 'ms', result.command.wallMs, 'llmo --version', result.floor.wallMs, { ms: 1000, strict: true });
    rssRow(rows, label, result);
  };
  await withinASecond('llmo conversations list --all, 10,000', ['conversations', 'list', '--all']);
  // The worst case for search: a phrase in one title, so every one of the 10,000 files is read.
  await withinASecond('llmo conversations search, 10,000', ['conversations', 'search', 'question 4242']);
  if (hasTmux) {
    const emptyHome = path.join(scratch, 'home-empty');
    mkdirSync(emptyHome);
    tmuxStarted = true;
    tmuxQuiet(env, 'new-session', '-d', '-s', 'keeper', '-x', '120', '-y', '40', 'sleep', '3600');
    const firstPrompt = { full: [], empty: [] };
    for (let run = 0; run <= CHAT_RUNS; run += 1) {
      const full = await measureChat({ llmo, env: conversationsEnv }, `c${run}`, { chatArgs: ['-c'], promptOnly: true });
      const empty = await measureChat({ llmo, env: { ...env, LLMO_HOME: emptyHome } }, `e${run}`, { chatArgs: ['-c'], promptOnly: true });
      if (run === 0) continue;
      firstPrompt.full.push(full.firstPromptMs);
      firstPrompt.empty.push(empty.firstPromptMs);
    }
    addRow(rows, 'llmo chat -c first prompt, 10,000', 'ms', median(firstPrompt.full), 'chat -c, empty store', median(firstPrompt.empty), {
      ratio: 1.2,
    });
  }
}

/**
 * Long chats: resuming a 1,000-message conversation, and a 50,000-word reply. Keys are typed
 * while the history prints or the reply streams; each must show on screen within 100 ms.
 */
async function benchLongChat({ llmo, env, rows }) {
  const longHome = path.join(scratch, 'home-long-chat');
  mkdirSync(longHome);
  const longEnv = { ...env, LLMO_HOME: longHome };
  fake.setDefault('openai', { words: 50 });
  await runOnce(longEnv, process.execPath, [llmo, 'ask', '-m', 'openai:gpt-4o-mini', 'hello']);
  writeLongConversation(path.join(longHome, 'conversations'), 500);
  tmuxStarted = true;
  tmuxQuiet(env, 'new-session', '-d', '-s', 'keeper', '-x', '120', '-y', '40', 'sleep', '3600');
  const resumed = { worst: [], rss: [] };
  const streamed = { worst: [], rss: [] };
  for (let run = 0; run <= CHAT_RUNS; run += 1) {
    const resume = await measureTyping({ llmo, env: longEnv }, `r${run}`, { chatArgs: ['-c'] });
    const reply = await measureTyping({ llmo, env }, `w${run}`, { words: 50_000 });
    if (run === 0) continue; // warms the file cache
    resumed.worst.push(resume.worstMs);
    resumed.rss.push(resume.rssMiB);
    streamed.worst.push(reply.worstMs);
    streamed.rss.push(reply.rssMiB);
  }
  addRow(rows, 'llmo chat -c 1,000 messages: slowest key echo', 'ms', median(resumed.worst), '', undefined, { ms: 100 });
  addRow(rows, 'llmo chat -c 1,000 messages peak RSS', 'MiB', median(resumed.rss), '', undefined, rssTarget);
  addRow(rows, 'llmo chat 50,000-word reply: slowest key echo', 'ms', median(streamed.worst), '', undefined, { ms: 100 });
  addRow(rows, 'llmo chat 50,000-word reply peak RSS', 'MiB', median(streamed.rss), '', undefined, rssTarget);
}

/** The one saved conversation of a home, grown to `exchanges` prompts and markdown replies. */
function writeLongConversation(directory, exchanges) {
  const [name] = readdirSync(directory).filter((file) => file.startsWith('chat_'));
  const conversation = JSON.parse(readFileSync(path.join(directory, name), 'utf8'));
  const [user, assistant] = conversation.messages;
  const paragraph = 'The quick brown fox jumps over the lazy dog while a careful model streams tokens. '.repeat(4).trim();
  const reply = `## Answer\n\n${paragraph}\n\n- one point about **this**\n- another with \`code\`\n\n\`\`\`js\nconsole.log('hi');\n\`\`\`\n\n${paragraph}`;
  conversation.messages = [];
  for (let index = 0; index < exchanges; index += 1)
    conversation.messages.push({ ...user, content: `question ${index}: tell me more` }, { ...assistant, content: reply });
  writeFileSync(path.join(directory, name), JSON.stringify(conversation));
}

/**
 * One chat in the private tmux server, typing a short marker every 150 ms from the moment the
 * prompt appears (and, with `words`, while a reply of that many words streams) until the screen
 * is quiet; each marker is erased once seen. Returns the slowest echo and the peak RSS.
 */
async function measureTyping({ llmo, env }, run, options) {
  const session = `typing${run}`;
  fake.setDefault('openai', { words: options.words ?? 50 });
  const echoes = [];
  try {
    const output = openChatSession({ llmo, env }, session, options.chatArgs);
    tmux(env, 'wait-for', '-S', `go-${session}`);
    if (!(await waitFor(() => PROMPT_DRAWN.test(output.recent()), 30_000, 2))) return {};
    const pid = Number(tmux(env, 'list-panes', '-t', session, '-F', '#{pane_pid}').trim());
    let probe = 0;
    const type = async () => {
      const marker = `QZ${String(probe++).padStart(4, '0')}X`;
      const started = performance.now();
      tmux(env, 'send-keys', '-t', session, '-l', marker);
      const seen = await waitFor(() => output.recent().includes(marker), 10_000, 1);
      echoes.push(seen ? performance.now() - started : 10_000);
      tmux(env, 'send-keys', '-t', session, ...new Array(marker.length).fill('BSpace'));
      await sleep(150);
    };
    if (options.words) {
      await waitForIdle(pid, 5000);
      output.skip();
      // The first marker only once the Enter is taken (the prompt is empty again): typed right
      // behind it, "⏎QZ0000X" could reach llmo in one read, which it takes for a paste (a line
      // break in the prompt); the reply was then never asked for, in about two runs of three,
      // and the row timed typing into an idle chat.
      tmux(env, 'send-keys', '-t', session, '-l', 'write a long story');
      await waitFor(() => output.recent().includes('write a long story'), 10_000, 2);
      output.skip();
      tmux(env, 'send-keys', '-t', session, 'Enter');
      await waitFor(() => PROMPT_DRAWN.test(output.recent()), 10_000, 2);
      const started = Date.now();
      while (!REPLY_DONE.test(output.recent()) && Date.now() - started < 120_000) await type();
    } else {
      // Until the history is all printed and the process goes quiet.
      let busy = true;
      while (busy) {
        const before = cpuMsOf(pid);
        await type();
        busy = cpuMsOf(pid) - before > 20;
      }
    }
    const rssMiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
    return { worstMs: Math.max(...echoes), rssMiB };
  } finally {
    tmuxQuiet(env, 'kill-session', '-t', session);
  }
}

const askWith =
  (llmo) =>
  (...extra) => [process.execPath, [llmo, 'ask', '-m', 'openai:gpt-4o-mini', ...extra, 'hello']];

async function benchBudgets({ llmo, env, rows }) {
  const ask = askWith(llmo);
  // Usage: a million records this month, padded to a 600 MiB file, with daily and monthly budgets.
  const usageHome = path.join(scratch, 'home-usage');
  mkdirSync(path.join(usageHome, 'usage'), { recursive: true });
  writeFileSync(path.join(usageHome, 'config.yaml'), 'ask:\n  save: false\nbudgets:\n  daily_usd: 1000000\n  monthly_usd: 1000000\n');
  backdate(path.join(usageHome, 'config.yaml'));
  const usageEnv = { ...env, LLMO_HOME: usageHome };
  const usageStarted = performance.now();
  const bytes = writeUsageMonth(path.join(usageHome, 'usage'), 1_000_000, 600);
  process.stderr.write(
    `  wrote 1,000,000 usage records (${Math.round(bytes / 2 ** 20)} MiB) in ${Math.round(performance.now() - usageStarted)} ms\n`,
  );
  // The first read of the month: streaming, once, then kept as a digest beside the log.
  const firstUsage = await runOnce(usageEnv, process.execPath, [llmo, 'usage']);
  addRow(rows, `llmo usage, first read of a ${Math.round(bytes / 2 ** 20)} MiB month`, 'ms', firstUsage.wallMs, '', undefined);
  addRow(rows, 'llmo usage, first read peak RSS', 'MiB', firstUsage.rssMiB, '', undefined, rssTarget);
  fake.setDefault('openai', { words: 50 });
  const budgeted = await compare(usageEnv, RUNS, ask(), ask('--no-budget'));
  addRow(rows, 'llmo ask, budgets, 1M records', 'ms', budgeted.command.wallMs, 'the same ask, --no-budget', budgeted.floor.wallMs, {
    ratio: 1.1,
  });
  rssRow(rows, 'llmo ask, budgets, 1M records', budgeted);
  const usage = await compare(usageEnv, RUNS, [process.execPath, [llmo, 'usage']], [process.execPath, [llmo, '--version']]);
  addRow(rows, 'llmo usage, 1M records', 'ms', usage.command.wallMs, 'llmo --version', usage.floor.wallMs, { ms: 1000, strict: true });
  rssRow(rows, 'llmo usage, 1M records', usage);
  rmSync(usageHome, { recursive: true, force: true });
}

async function benchFanOut({ llmo, env, rows }) {
  // Parallel: 20 models of 1 s each against one such call.
  const slow = { firstChunkDelayMs: 1000, words: 50 };
  const refs = VENDORS.flatMap((vendor) => [1, 2, 3, 4, 5].map(() => vendor.ref));
  const parallel = await compare(
    env,
    Math.min(RUNS, 5),
    [process.execPath, [llmo, 'parallel', '--quiet', ...refs.flatMap((ref) => ['-m', ref]), 'hello']],
    [process.execPath, [llmo, 'ask', '--no-save', '-m', 'openai:gpt-4o-mini', 'hello']],
    () => {
      for (const vendor of VENDORS) fake.setDefault(vendor.provider, slow);
    },
  );
  addRow(rows, 'llmo parallel × 20 (1 s each)', 'ms', parallel.command.wallMs, 'one such ask', parallel.floor.wallMs, { ratio: 1.3 });
  rssRow(rows, 'llmo parallel × 20', parallel);
}

/** Clones the one saved conversation into `count` (ids a second apart, newest last); returns how many. */
function writeConversations(directory, count) {
  const [name] = readdirSync(directory).filter((file) => file.startsWith('chat_'));
  const template = JSON.parse(readFileSync(path.join(directory, name), 'utf8'));
  const base = Date.now() - count * 1000 - 86_400_000;
  for (let index = 0; index < count; index += 1) {
    const at = new Date(base + index * 1000);
    const pad = (value) => String(value).padStart(2, '0');
    const id = `chat_${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}_${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
    const iso = at.toISOString();
    writeFileSync(
      path.join(directory, `${id}.json`),
      JSON.stringify({ ...template, id, title: `question ${index}`, created_at: iso, updated_at: iso }),
    );
  }
  return count;
}

/** `count` records spread over this month so far, each line padded to about `lineBytes`; returns the file's size. */
function writeUsageMonth(usageDir, count, lineBytes) {
  const now = new Date();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const span = Math.max(1, now.getTime() - start - 60_000);
  const file = path.join(usageDir, `${now.toISOString().slice(0, 7)}.jsonl`);
  const models = ['gpt-4o-mini', 'claude-haiku-4-5', 'gemini-2.5-flash', 'mistral-small-latest'];
  const descriptor = openSync(file, 'w', 0o600);
  let batch = '';
  let bytes = 0;
  for (let index = 0; index < count; index += 1) {
    const time = new Date(start + Math.floor((index / count) * span)).toISOString();
    // Long chain and step names (capped at 200 characters each, as llmo caps them) make the lines long.
    const padding = Math.max(0, lineBytes - 260);
    const name = `research-${'r'.repeat(Math.min(190, Math.floor(padding / 2)))}`;
    const step = `analyze-${'s'.repeat(Math.min(190, Math.ceil(padding / 2)))}`;
    const line = `{"v":1,"time":"${time}","provider":"openai","model":"${models[index % 4]}","input_tokens":${200 + (index % 1000)},"output_tokens":${50 + (index % 300)},"cost_usd":0.0000001,"duration_ms":${1000 + (index % 5000)},"status":"ok","source":"chain","source_name":"${name}","step":"${step}","source_id":"run_${index}"}\n`;
    batch += line;
    if (batch.length > 8 << 20) {
      bytes += writeSync(descriptor, batch);
      batch = '';
    }
  }
  bytes += writeSync(descriptor, batch);
  closeSync(descriptor);
  return bytes;
}

async function benchPeers({ env, rows }) {
  const folder = path.join(scratch, 'peers');
  process.stderr.write(`  installing peers into ${folder} …\n`);
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', folder, '@google/gemini-cli', '@qwen-code/qwen-code'], {
      stdio: 'ignore',
      timeout: 300_000,
    });
  } catch (error) {
    process.stderr.write(`  peers could not be installed: ${error.message.split('\n')[0]}\n`);
    return;
  }
  // Peers write their settings and caches under HOME: a temporary one, never the user's.
  const peerHome = path.join(scratch, 'peer-home');
  mkdirSync(peerHome, { recursive: true });
  const peerEnv = {
    ...env,
    HOME: peerHome,
    GEMINI_API_KEY: 'bench-key',
    GOOGLE_GEMINI_BASE_URL: fake.baseURLs.gemini,
    OPENAI_API_KEY: 'bench-key',
    OPENAI_BASE_URL: fake.baseURLs.openai,
  };
  const bin = (name) => path.join(folder, 'node_modules', '.bin', name);
  for (const [name, oneShot] of [
    ['gemini', ['-p', 'hello', '-m', 'gemini-2.5-flash']],
    ['qwen', ['-p', 'hello']],
  ]) {
    if (!existsSync(bin(name))) continue;
    const version = await compare(peerEnv, Math.min(RUNS, 5), [bin(name), ['--version']], [process.execPath, ['-e', '0']]);
    addRow(rows, `${name} --version (peer)`, 'ms', version.command.wallMs, 'node -e 0', version.floor.wallMs);
    const provider = name === 'gemini' ? 'gemini' : 'openai';
    fake.setDefault(provider, { words: 200 });
    const times = [];
    let failure;
    for (let run = 0; run < Math.min(RUNS, 5) && !failure; run += 1) {
      const asked = fake.requestsFor(provider).length;
      const result = await runOnce(peerEnv, bin(name), oneShot, { allowFailure: true });
      // A peer that failed, or answered without asking the fake, measured nothing comparable.
      if (result.code !== 0) failure = `exited ${result.code}`;
      else if (fake.requestsFor(provider).length === asked) failure = 'never reached the fake provider';
      else times.push(result.wallMs);
    }
    addRow(rows, `${name} -p one-shot (peer)${failure ? `: ${failure}` : ''}`, 'ms', failure ? undefined : median(times), '', undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring.

const KEYS = {
  OPENAI_API_KEY: 'bench-key',
  ANTHROPIC_API_KEY: 'bench-key',
  GEMINI_API_KEY: 'bench-key',
  MISTRAL_API_KEY: 'bench-key',
  DEEPSEEK_API_KEY: 'bench-key',
};

function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/(_API_KEY|_BASE_URL)$|^LLMO_|^XDG_|^NODE_OPTIONS$/.test(name)),
  );
}

/** Builds llmo into the scratch folder, laid out like the package; returns its bin/llmo.js. */
function buildPrivateCopy() {
  const copy = path.join(scratch, 'llmo');
  process.stderr.write('llmo bench: building a private copy …\n');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--outdir', path.join(copy, 'dist')], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const entry of ['bin', 'config', 'models.yaml', 'package.json']) {
    cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true, preserveTimestamps: true });
  }
  // Modules the bundle leaves external (the native keychain binding) resolve from here.
  symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return path.join(copy, 'bin', 'llmo.js');
}

function backdate(file) {
  const minuteAgo = new Date(Date.now() - 60_000);
  utimesSync(file, minuteAgo, minuteAgo);
}

/** Runs a command once: wall ms, CPU ms (user + system), peak RSS MiB. */
function runOnce(env, command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(scratch, `time-${process.hrtime.bigint()}`);
    const [file, fileArgs] = hasTime
      ? ['/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, command, ...commandArgs]]
      : [command, commandArgs];
    const started = process.hrtime.bigint();
    const child = spawn(file, fileArgs, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let cpuMs;
      let rssMiB;
      if (hasTime && existsSync(timeFile)) {
        const fields = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        if (fields.length === 3 && fields.every(Number.isFinite)) {
          cpuMs = (fields[0] + fields[1]) * 1000;
          rssMiB = fields[2] / 1024;
        }
        rmSync(timeFile, { force: true });
      }
      if ((code !== 0 || signal) && !options.allowFailure) {
        const why = signal === 'SIGKILL' ? `timed out after ${(options.timeoutMs ?? RUN_TIMEOUT_MS) / 1000} s` : `exited ${code ?? signal}`;
        reject(new Error(`${command} ${commandArgs.join(' ')} ${why}: ${stderr.slice(0, 500)}`));
        return;
      }
      resolve({ wallMs, cpuMs, rssMiB, code: code ?? signal });
    });
  });
}

const median = (values) => {
  const sorted = values.filter((value) => value !== undefined && Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Runs `command` and `floor` alternately (so drift hits both alike); medians of each. */
async function compare(env, runs, command, floor, prepare = () => {}) {
  const measured = { command: [], floor: [] };
  prepare();
  await runOnce(env, ...command); // warms the file cache
  await runOnce(env, ...floor);
  for (let run = 0; run < runs; run += 1) {
    prepare();
    measured.command.push(await runOnce(env, ...command));
    prepare();
    measured.floor.push(await runOnce(env, ...floor));
  }
  const summarise = (list) => ({
    wallMs: median(list.map((item) => item.wallMs)),
    cpuMs: median(list.map((item) => item.cpuMs)),
    rssMiB: median(list.map((item) => item.rssMiB)),
  });
  return { command: summarise(measured.command), floor: summarise(measured.floor) };
}

/**
 * One row of the table. `target`: `{ ratio }` (value ≤ ratio × floor), `{ ms }` (value ≤ ms) or
 * `{ addedMs }` (value − floor ≤ addedMs), with `strict` for "<"; or none.
 */
function addRow(rows, name, metric, value, floorName, floorValue, target) {
  const ratio = value !== undefined && floorValue ? value / floorValue : undefined;
  const within = (measured, limit) => (measured === undefined ? undefined : target.strict ? measured < limit : measured <= limit);
  let targetText = '';
  let met;
  if (target?.ratio !== undefined) {
    targetText = `${target.strict ? '<' : '≤'} ${target.ratio}×`;
    met = within(ratio, target.ratio);
  } else if (target?.addedMs !== undefined) {
    targetText = `${target.strict ? '<' : '≤'} +${target.addedMs} ms`;
    met = value === undefined || floorValue === undefined ? undefined : within(value - floorValue, target.addedMs);
  } else if (target?.ms !== undefined) {
    targetText = `${target.strict ? '<' : '≤'} ${target.ms} ${metric === 'MiB' ? 'MiB' : 'ms'}`;
    met = within(value, target.ms);
  }
  rows.push({ name, metric, value, floor: floorName, floorValue, ratio, target: targetText, met });
  process.stderr.write(`  ${name}: ${format(value, metric)} vs ${format(floorValue, metric)} (${ratio ? `${ratio.toFixed(2)}×` : '—'})\n`);
}

function format(number, metric) {
  return number === undefined ? '—' : `${number.toFixed(metric === 'MiB' ? 1 : 0)} ${metric}`;
}

function printTable(rows) {
  const table = [['row', 'value', 'floor', 'floor value', 'ratio', 'target', '']].concat(
    rows.map((row) => [
      row.name,
      format(row.value, row.metric),
      row.floor,
      row.floorValue === undefined ? '' : format(row.floorValue, row.metric),
      row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
      row.target,
      row.met === undefined ? '' : row.met ? 'ok' : 'OVER',
    ]),
  );
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => String(line[column]).length)));
  for (const line of table)
    process.stdout.write(
      `${line
        .map((cell, column) => String(cell).padEnd(widths[column]))
        .join('  ')
        .trimEnd()}\n`,
    );
}

function writeReport(rows) {
  const report = { date: new Date().toISOString(), node: process.version, runs: RUNS, cpus: cpus().length, rows };
  mkdirSync(path.join(root, '.bench'), { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(path.join(root, '.bench', 'latest.json'), text);
  writeFileSync(path.join(root, '.bench', `bench-${report.date.replace(/[:.]/g, '-')}.json`), text);
  process.stderr.write('written to .bench/latest.json\n');
}

// ---------------------------------------------------------------------------------------------
// tmux, /proc and clean-up.

function commandExists(command, commandArgs) {
  try {
    execFileSync(command, commandArgs, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function tmux(env, ...tmuxArgs) {
  return execFileSync('tmux', ['-S', TMUX_SOCKET, ...tmuxArgs], { encoding: 'utf8', env, timeout: 10_000 });
}

function tmuxQuiet(env, ...tmuxArgs) {
  try {
    execFileSync('tmux', ['-S', TMUX_SOCKET, ...tmuxArgs], { stdio: 'ignore', env, timeout: 10_000 });
  } catch {
    // Already gone.
  }
}

/**
 * Follows a growing file cheaply: `recent()` is the text of its last few kilobytes (escape
 * sequences removed), reading only what was appended; `skip()` forgets what was read so far.
 */
function followFile(file) {
  let position = 0;
  let window = Buffer.alloc(0);
  const readNew = () => {
    const descriptor = openSync(file, 'r');
    try {
      const size = fstatSync(descriptor).size;
      if (size <= position) return;
      const fresh = Buffer.alloc(size - position);
      readSync(descriptor, fresh, 0, fresh.length, position);
      position = size;
      window = Buffer.concat([window, fresh]);
      if (window.length > 8192) window = window.subarray(window.length - 8192);
    } finally {
      closeSync(descriptor);
    }
  };
  return {
    recent() {
      readNew();
      return stripVTControlCharacters(window.toString('utf8'));
    },
    skip() {
      readNew();
      window = Buffer.alloc(0);
    },
  };
}

/** CPU milliseconds (user + system) a live process has used, from /proc (USER_HZ = 100). */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Waits until the process has used no CPU for 150 ms (or `timeoutMs` passed). */
async function waitForIdle(pid, timeoutMs) {
  let last = cpuMsOf(pid);
  await waitFor(
    () => {
      const now = cpuMsOf(pid);
      const idle = now === last;
      last = now;
      return idle;
    },
    timeoutMs,
    150,
  );
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(predicate, timeoutMs, stepMs) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (predicate()) return true;
    await sleep(stepMs);
  }
  return false;
}

let cleanedUp = false;
async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const child of children) child.kill('SIGKILL');
  for (const agent of vaultAgents) {
    try {
      execFileSync(process.execPath, [agent.llmo, 'auth', 'lock'], { env: agent.env, stdio: 'ignore', timeout: 10_000 });
    } catch {
      // No agent left to stop.
    }
  }
  if (tmuxStarted) tmuxQuiet(process.env, 'kill-server');
  await fake?.close().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
}

async function stop(code) {
  process.stderr.write('\nllmo bench: interrupted, cleaning up\n');
  await cleanUp();
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------
// Last, once every declaration above exists.

process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));

try {
  await main();
} catch (error) {
  process.stderr.write(`llmo bench: ${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
