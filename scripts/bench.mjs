#!/usr/bin/env node
// npm run bench: medians of repeated runs, each row a ratio against its floor measured in the
// same run, against the fake providers on loopback. Not a test: it prints a table and writes
// .bench/latest.json (and a timestamped copy) so runs can be compared.
//
//   npm run bench                 all rows (a few minutes)
//   npm run bench -- --quick      fewer repetitions
//   npm run bench -- --only=chat  some sections: startup, ask, schema, parallel, usage, vault, chat (no report written)
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
  readSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
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
  writeFileSync(path.join(home, 'config.yaml'), 'ask:\n  save: false\n');
  backdate(path.join(home, 'config.yaml'));
  const env = { ...cleanEnv(), ...fake.env(), ...KEYS, LLMO_HOME: home, NO_COLOR: '1' };
  const bench = { llmo, env, rows: [] };

  process.stderr.write(`llmo bench: ${RUNS} runs per row (${STARTUP_RUNS} for startup), medians; ${cpus().length} CPUs\n`);
  if (wanted('startup')) await benchStartup(bench);
  if (wanted('ask')) await benchAsk(bench);
  if (wanted('schema')) await benchSchema(bench);
  if (wanted('parallel')) await benchParallel(bench);
  if (wanted('usage')) await benchUsage(bench);
  if (wanted('vault')) await benchVault(bench);
  if (wanted('chat') && hasTmux) await benchChat(bench);
  else if (wanted('chat')) process.stderr.write('  (tmux not installed: chat rows skipped)\n');
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
const REPLY_DONE = /last [\d,]+ in \/ [\d,]+ out/;

/**
 * One chat session in the private tmux server. The pane's output is piped to a file from before
 * llmo starts (the pane waits for a tmux signal), so the first frame is seen the moment llmo
 * writes it, without polling tmux.
 */
async function measureChat({ llmo, env }, run) {
  const session = `chat${run}`;
  const outputFile = path.join(scratch, `${session}.out`);
  writeFileSync(outputFile, '');
  const output = followFile(outputFile);
  const envArgs = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;
  const script = `tmux -S ${quote(TMUX_SOCKET)} wait-for go-${session} && exec ${quote(process.execPath)} ${quote(llmo)} chat -m openai:gpt-4o-mini`;
  fake.setDefault('openai', { words: 5000 });
  try {
    tmux(env, 'new-session', '-d', '-s', session, '-x', '120', '-y', '40', ...envArgs, 'sh', '-c', script);
    tmux(env, 'pipe-pane', '-O', '-t', session, `cat >> ${quote(outputFile)}`);
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
    return { firstPromptMs, streamingCpuMs: cpuMsOf(pid) - before };
  } finally {
    tmuxQuiet(env, 'kill-session', '-t', session);
  }
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
  const peerEnv = {
    ...env,
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
    fake.setDefault(name === 'gemini' ? 'gemini' : 'openai', { words: 200 });
    const times = [];
    for (let run = 0; run < Math.min(RUNS, 5); run += 1) {
      times.push((await runOnce(peerEnv, bin(name), oneShot, { allowFailure: true })).wallMs);
    }
    addRow(rows, `${name} -p one-shot (peer)`, 'ms', median(times), '', undefined);
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
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
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
        const why = signal === 'SIGKILL' ? `timed out after ${RUN_TIMEOUT_MS / 1000} s` : `exited ${code ?? signal}`;
        reject(new Error(`${command} ${commandArgs.join(' ')} ${why}: ${stderr.slice(0, 500)}`));
        return;
      }
      resolve({ wallMs, cpuMs, rssMiB });
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
    targetText = `${target.strict ? '<' : '≤'} ${target.ms} ms`;
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
