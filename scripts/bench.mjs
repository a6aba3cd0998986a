#!/usr/bin/env node
// npm run bench: medians of repeated runs, each row a ratio against its floor measured in the
// same run, against the fake providers on loopback. Not a test: it prints a table and writes
// .bench/latest.json (and a timestamped copy) so runs can be compared.
//
//   npm run bench                 all rows
//   npm run bench -- --quick      fewer repetitions
//   npm run bench -- --peers      also install @google/gemini-cli and @qwen-code/qwen-code into a
//                                 temporary folder and measure them the same way
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeProviders } from '../test/fake-providers/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const RUNS = quick ? 3 : 9;
const STARTUP_RUNS = quick ? 5 : 21;
const llmo = path.join(root, 'bin', 'llmo.js');
const hasTime = existsSync('/usr/bin/time');
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const fake = await startFakeProviders();
const home = mkdtempSync(path.join(tmpdir(), 'llmo-bench-'));
writeFileSync(path.join(home, 'config.yaml'), 'ask:\n  save: false\n');
const KEYS = {
  OPENAI_API_KEY: 'bench-key',
  ANTHROPIC_API_KEY: 'bench-key',
  GEMINI_API_KEY: 'bench-key',
  MISTRAL_API_KEY: 'bench-key',
  DEEPSEEK_API_KEY: 'bench-key',
};
const env = { ...cleanEnv(), ...fake.env(), ...KEYS, LLMO_HOME: home, NO_COLOR: '1' };

function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/(_API_KEY|_BASE_URL)$|^LLMO_|^NODE_OPTIONS$/.test(name)));
}

/** Runs a command once: wall ms, CPU ms (user+sys), peak RSS MiB, stdout length. */
function runOnce(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(home, `time-${process.hrtime.bigint()}`);
    const [file, fileArgs] = hasTime ? ['/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, command, ...commandArgs]] : [command, commandArgs];
    const started = process.hrtime.bigint();
    const child = spawn(file, fileArgs, { env: options.env ?? env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk.length));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let cpuMs;
      let rssMiB;
      if (hasTime && existsSync(timeFile)) {
        const [user, system, rssKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        cpuMs = (user + system) * 1000;
        rssMiB = rssKiB / 1024;
        rmSync(timeFile, { force: true });
      }
      if (code !== 0 && !options.allowFailure) {
        reject(new Error(`${command} ${commandArgs.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
        return;
      }
      resolve({ wallMs, cpuMs, rssMiB, stdout });
    });
  });
}

const median = (values) => {
  const sorted = values.filter((value) => value !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Runs `command` and `floor` alternately (so drift hits both alike); medians of each. */
async function compare(runs, command, floor, prepare = () => {}) {
  const measured = { command: [], floor: [] };
  prepare();
  await runOnce(...command); // warm the file cache
  await runOnce(...floor);
  for (let run = 0; run < runs; run += 1) {
    prepare();
    measured.command.push(await runOnce(...command));
    prepare();
    measured.floor.push(await runOnce(...floor));
  }
  const summarise = (list) => ({
    wallMs: median(list.map((item) => item.wallMs)),
    cpuMs: median(list.map((item) => item.cpuMs)),
    rssMiB: median(list.map((item) => item.rssMiB)),
  });
  return { command: summarise(measured.command), floor: summarise(measured.floor) };
}

const rows = [];
function addRow(name, metric, value, floorName, floorValue, target) {
  const ratio = value !== undefined && floorValue ? value / floorValue : undefined;
  rows.push({ name, metric, value, floor: floorName, floorValue, ratio, target });
  const format = (number) => (number === undefined ? '—' : number.toFixed(metric === 'MiB' ? 1 : 0));
  process.stderr.write(`  ${name}: ${format(value)} ${metric} vs ${format(floorValue)} (${ratio ? ratio.toFixed(2) + '×' : '—'})\n`);
}

process.stderr.write(`llmo bench: ${RUNS} runs per row (${STARTUP_RUNS} for startup), medians\n`);

// 1. Startup.
{
  const result = await compare(STARTUP_RUNS, [process.execPath, [llmo, '--version']], [process.execPath, ['-e', '0']]);
  addRow('llmo --version', 'ms', result.command.wallMs, 'node -e 0', result.floor.wallMs, '≤ 1.3×');
  const help = await compare(Math.ceil(STARTUP_RUNS / 2), [process.execPath, [llmo, 'ask', '--help']], [process.execPath, ['-e', '0']]);
  addRow('llmo ask --help', 'ms', help.command.wallMs, 'node -e 0', help.floor.wallMs, '');
}

// 2. One-shot asks against the raw SDK scripts.
const VENDORS = [
  { provider: 'openai', ref: 'openai:gpt-4o-mini', model: 'gpt-4o-mini' },
  { provider: 'anthropic', ref: 'anthropic:claude-haiku-4-5', model: 'claude-haiku-4-5' },
  { provider: 'gemini', ref: 'gemini:gemini-2.5-flash', model: 'gemini-2.5-flash' },
  { provider: 'mistral', ref: 'mistral:mistral-small-latest', model: 'mistral-small-latest' },
];
const rawSdkCpu = {};
for (const words of [200, 5000]) {
  for (const vendor of VENDORS) {
    const result = await compare(
      RUNS,
      [process.execPath, [llmo, 'ask', '--no-save', '-m', vendor.ref, 'hello']],
      [process.execPath, [path.join(root, 'scripts', 'bench', `raw-${vendor.provider}.mjs`), vendor.model, 'hello']],
      () => fake.setDefault(vendor.provider, { words }),
    );
    addRow(`llmo ask ${vendor.provider} ${words} words`, 'ms', result.command.wallMs, `raw ${vendor.provider} SDK`, result.floor.wallMs, '≤ 1.1×');
    if (words === 5000) rawSdkCpu[vendor.provider] = result.floor.cpuMs;
    if (words === 200 && vendor.provider === 'openai') {
      addRow('llmo ask peak RSS', 'MiB', result.command.rssMiB, 'raw openai SDK', result.floor.rssMiB, '');
    }
  }
}

// 3. Parallel fan-out: five models whose replies each take ~1 s.
{
  const slow = { firstChunkDelayMs: 1000, words: 50 };
  const prepare = () => {
    for (const provider of ['openai', 'anthropic', 'gemini', 'mistral', 'deepseek']) fake.setDefault(provider, slow);
  };
  const models = ['openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5', 'gemini:gemini-2.5-flash', 'mistral:mistral-small-latest', 'deepseek'];
  const result = await compare(
    Math.min(RUNS, 5),
    [process.execPath, [llmo, 'parallel', ...models.flatMap((model) => ['-m', model]), 'hello']],
    [process.execPath, [llmo, 'ask', '--no-save', '-m', 'mistral:mistral-small-latest', 'hello']],
    prepare,
  );
  addRow('llmo parallel × 5 (1 s each)', 'ms', result.command.wallMs, 'slowest single ask', result.floor.wallMs, '< 1500 ms');
}

// 4. The chat UI under tmux: time to first drawn prompt, CPU while streaming 5,000 words.
if (hasTmux) {
  const firstPrompt = [];
  const streamingCpu = [];
  for (let run = 0; run < Math.min(RUNS, 5); run += 1) {
    const measured = await measureChat(run);
    firstPrompt.push(measured.firstPromptMs);
    streamingCpu.push(measured.streamingCpuMs);
  }
  addRow('llmo chat first prompt', 'ms', median(firstPrompt), '', undefined, '≤ 500 ms');
  addRow('llmo chat CPU streaming 5,000 words', 'ms', median(streamingCpu), 'raw openai SDK loop', rawSdkCpu.openai, '< 2×');
} else {
  process.stderr.write('  (tmux not installed: chat rows skipped)\n');
}

// 5. Peers, when asked for.
if (args.has('--peers')) await benchPeers();

await fake.close();
rmSync(home, { recursive: true, force: true });

const table = [['row', 'value', 'floor', 'floor value', 'ratio', 'target']].concat(
  rows.map((row) => [
    row.name,
    row.value === undefined ? '—' : `${row.value.toFixed(row.metric === 'MiB' ? 1 : 0)} ${row.metric}`,
    row.floor,
    row.floorValue === undefined ? '' : `${row.floorValue.toFixed(row.metric === 'MiB' ? 1 : 0)} ${row.metric}`,
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
    row.target ?? '',
  ]),
);
const widths = table[0].map((_, column) => Math.max(...table.map((line) => String(line[column]).length)));
for (const line of table) process.stdout.write(`${line.map((cell, column) => String(cell).padEnd(widths[column])).join('  ').trimEnd()}\n`);

const report = {
  date: new Date().toISOString(),
  node: process.version,
  runs: RUNS,
  cpus: (await import('node:os')).cpus().length,
  rows,
};
mkdirSync(path.join(root, '.bench'), { recursive: true });
writeFileSync(path.join(root, '.bench', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(path.join(root, '.bench', `bench-${report.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(report, null, 2)}\n`);
process.stderr.write(`written to .bench/latest.json\n`);

// ---------------------------------------------------------------------------------------------

function tmux(...tmuxArgs) {
  return execFileSync('tmux', ['-L', 'llmo-bench', ...tmuxArgs], { encoding: 'utf8' });
}

function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(predicate, timeoutMs, stepMs = 5) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (predicate()) return true;
    await sleep(stepMs);
  }
  return false;
}

async function measureChat(run) {
  const session = `bench${run}`;
  const envArgs = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  fake.setDefault('openai', { words: 5000 });
  const started = Date.now();
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', ...envArgs, process.execPath, llmo, 'chat', '-m', 'openai:gpt-4o-mini');
  const pane = () => tmux('capture-pane', '-p', '-t', session);
  // The prompt is drawn when the input box's placeholder or prompt marker shows.
  const drawn = await waitFor(() => /(^|\s)[>›❯]\s|Type a message|Ask anything/m.test(pane()), 10_000, 2);
  const firstPromptMs = drawn ? Date.now() - started : undefined;
  const pid = Number(tmux('list-panes', '-t', session, '-F', '#{pane_pid}').trim());
  const before = cpuMsOf(pid);
  const requestsBefore = fake.requestsFor('openai').length;
  tmux('send-keys', '-t', session, 'write a long story', 'Enter');
  await waitFor(() => fake.requestsFor('openai').length > requestsBefore && fake.requestsFor('openai').at(-1).completed, 60_000, 20);
  // Let the UI finish drawing what it received.
  let last = '';
  await waitFor(() => {
    const screen = pane();
    const stable = screen === last && !/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(screen);
    last = screen;
    return stable;
  }, 20_000, 200);
  const streamingCpuMs = cpuMsOf(pid) - before;
  tmux('kill-session', '-t', session);
  return { firstPromptMs, streamingCpuMs };
}

async function benchPeers() {
  const folder = mkdtempSync(path.join(tmpdir(), 'llmo-peers-'));
  process.stderr.write(`  installing peers into ${folder} …\n`);
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', folder, '@google/gemini-cli', '@qwen-code/qwen-code'], { stdio: 'ignore' });
  } catch (error) {
    process.stderr.write(`  peers could not be installed: ${error.message.split('\n')[0]}\n`);
    return;
  }
  const peerEnv = { ...env, GEMINI_API_KEY: 'bench-key', GOOGLE_GEMINI_BASE_URL: fake.baseURLs.gemini, OPENAI_API_KEY: 'bench-key', OPENAI_BASE_URL: fake.baseURLs.openai };
  const bin = (name) => path.join(folder, 'node_modules', '.bin', name);
  for (const [name, oneShot] of [
    ['gemini', ['-p', 'hello', '-m', 'gemini-2.5-flash']],
    ['qwen', ['-p', 'hello']],
  ]) {
    if (!existsSync(bin(name))) continue;
    const version = await compare(Math.min(RUNS, 5), [bin(name), ['--version'], { env: peerEnv }], [process.execPath, ['-e', '0']]);
    addRow(`${name} --version (peer)`, 'ms', version.command.wallMs, 'node -e 0', version.floor.wallMs, '');
    fake.setDefault(name === 'gemini' ? 'gemini' : 'openai', { words: 200 });
    const times = [];
    for (let run = 0; run < Math.min(RUNS, 5); run += 1) {
      times.push((await runOnce(bin(name), oneShot, { env: peerEnv, allowFailure: true })).wallMs);
    }
    addRow(`${name} -p one-shot (peer)`, 'ms', median(times), '', undefined, '');
  }
  rmSync(folder, { recursive: true, force: true });
}
