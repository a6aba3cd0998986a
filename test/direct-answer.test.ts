/**
 * Direct mode of the response cache (src/cli/ask/direct-answer.ts): a repeated `llmo ask --cache`
 * is answered without loading the command parser, the configuration or an SDK, and prints and
 * logs exactly what the ordinary path would. Anything that could change the answer (the
 * configuration, the words, stdin, an expired entry) sends it down the ordinary path again.
 */
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readRecords } from '../src/usage/usage-log.js';
import { useE2e } from './helpers/e2e.js';
import { packagesLoaded } from './helpers/loaded-modules.js';

const e2e = useE2e({ providers: ['openai'] });
const ASK = ['ask', '--no-save', '--cache', '-m', 'openai:gpt-4o-mini', 'the same question'];

/** config.yaml as a user has it: written a while ago (a file written this second is never trusted). */
function configure(text: string): void {
  const file = path.join(e2e.home, 'config.yaml');
  writeFileSync(file, text);
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
}

/** Runs llmo with stdin on /dev/null (as cron and `</dev/null` do); says whether the command parser loaded. */
async function ask(args: readonly string[] = ASK) {
  const { result, packages } = await packagesLoaded([...args], e2e.env() as Record<string, string>, e2e.home, { stdin: 'null' });
  return { ...result, direct: !packages.includes('commander') };
}

const requests = () => e2e.fake.requestsFor('openai').length;
const usage = async () => (await readRecords(path.join(e2e.home, 'usage'))).records;

beforeEach(() => {
  configure('request:\n  retries: 0\n');
  e2e.fake.enqueue('openai', { text: 'Paid for once.' });
});

describe('direct answers from the response cache', () => {
  it('answers a repeat without loading the command parser: same output, no request, logged at cost 0', async () => {
    const first = await ask();
    expect(first).toMatchObject({ code: 0, stdout: 'Paid for once.\n', direct: false });
    const second = await ask();
    expect(second).toMatchObject({ code: 0, stdout: 'Paid for once.\n', stderr: '', direct: true });
    expect(requests()).toBe(1);
    const records = await usage();
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', cost_usd: 0, cached: true, status: 'ok', source: 'ask' });
  });

  it('takes the ordinary path again after config.yaml changes, still from the cache', async () => {
    await ask();
    expect((await ask()).direct).toBe(true);
    configure('request:\n  retries: 1\n');
    const after = await ask();
    expect(after).toMatchObject({ code: 0, stdout: 'Paid for once.\n', direct: false });
    expect(requests()).toBe(1);
    // …and the ordinary path left a memo for the new configuration.
    expect((await ask()).direct).toBe(true);
  });

  it('asks the model again when the entry expired, and never answers other words or piped text directly', async () => {
    await ask();
    const entries = path.join(e2e.home, 'cache', 'responses');
    const [name] = readdirSync(entries).filter((file) => file.endsWith('.json'));
    const file = path.join(entries, name!);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), created: Date.now() - 30 * 86_400_000 }));
    e2e.fake.enqueue('openai', { text: 'Asked again.' });
    expect(await ask()).toMatchObject({ stdout: 'Asked again.\n', direct: false });
    expect(requests()).toBe(2);

    expect((await ask(['ask', '--no-save', '--cache', '-m', 'openai:gpt-4o-mini', 'another question'])).direct).toBe(false);
    const piped = await e2e.run(ASK, { input: 'with more context' });
    expect(piped.code).toBe(0);
    expect(e2e.fake.requestsFor('openai').at(-1)?.body).toMatchObject({
      messages: [{ content: expect.stringContaining('with more context') }],
    });
  });

  it('leaves no memo for output it would print differently (--json, a saved conversation) and cache clear forgets them', async () => {
    await ask(['ask', '--no-save', '--cache', '--json', '-m', 'openai:gpt-4o-mini', 'the same question']);
    const json = await ask(['ask', '--no-save', '--cache', '--json', '-m', 'openai:gpt-4o-mini', 'the same question']);
    expect(json.direct).toBe(false);
    expect(JSON.parse(json.stdout)).toMatchObject({ cached: true, cost_usd: 0 });
    const saved = ['ask', '--cache', '-m', 'openai:gpt-4o-mini', 'the same question'];
    await ask(saved);
    expect((await ask(saved)).direct).toBe(false);

    await ask();
    expect((await ask()).direct).toBe(true);
    expect((await e2e.run(['cache', 'clear'])).code).toBe(0);
    e2e.fake.enqueue('openai', { text: 'Asked again.' });
    expect(await ask()).toMatchObject({ stdout: 'Asked again.\n', direct: false });
  });
});
