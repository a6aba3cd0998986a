// `llmo batch` end to end: the built CLI against the fake providers, in a throwaway LLMO_HOME.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';
import { spawnLlmo, TEST_KEYS } from './helpers/run-llmo.js';

const e2e = useE2e({ config: 'request:\n  retries: 3\n  retry_base_delay_ms: 1\n  retry_max_delay_ms: 5\n' });
const run = (args: string[], options: { timeoutMs?: number } = {}) => e2e.run(args, { timeoutMs: options.timeoutMs ?? 30_000 });

const file = (name: string, text: string) => {
  const target = path.join(e2e.home, name);
  writeFileSync(target, text);
  return target;
};
const jsonl = (name: string, lines: readonly unknown[]) => file(name, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
const outputLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as {
          id: string | number;
          text: string | null;
          error: string | null;
          model: string;
          cost_usd: number | null;
          usage: { input_tokens: number; output_tokens: number } | null;
        },
    );
/** The user prompt a chat-completions request carried. */
const promptOf = (request: RecordedRequest) =>
  (request.body?.messages as Array<{ role: string; content: string }> | undefined)?.at(-1)?.content;
const batchDirectories = () => readdirSync(path.join(e2e.home, 'batches')).map((name) => path.join(e2e.home, 'batches', name));
const journalLines = (directory: string) => {
  try {
    return readFileSync(path.join(directory, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

describe('llmo batch run', () => {
  it('answers every line in input order, fills a CSV template, and logs usage with source batch', async () => {
    const input = file('in.csv', 'id,text,lang\nr1,"apples, pears",en\nr2,"said ""hi""\nand left",fr\n');
    const output = path.join(e2e.home, 'out.jsonl');
    const result = await run(['batch', 'run', input, '-m', 'openai', '--prompt', 'Classify ({{lang}}): {{text}}', '-o', output]);
    expect(result.code).toBe(0);
    const lines = outputLines(readFileSync(output, 'utf8'));
    expect(lines.map((line) => line.id)).toEqual(['r1', 'r2']);
    expect(lines.every((line) => line.error === null && line.text?.startsWith('Hello from fake openai'))).toBe(true);
    expect(e2e.fake.requestsFor('openai').map(promptOf).sort()).toEqual([
      'Classify (en): apples, pears',
      'Classify (fr): said "hi"\nand left',
    ]);
    expect(result.stderr).toMatch(/2 lines, 2 ok, 0 failed/);

    const usage = await run(['usage', '--by', 'source', '--json']);
    expect(usage.stdout).toContain('"batch"');
  });

  it('reports a malformed JSONL line by its number and sends nothing (exit 3)', async () => {
    const input = file('in.jsonl', '{"id":"a","prompt":"one"}\n\n{"id":"b", "prompt": \n{"id":"c","prompt":"three"}\n');
    const result = await run(['batch', 'run', input, '-m', 'openai']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^llmo: in\.jsonl line 3: not valid JSON/m);
    expect(e2e.fake.requests).toHaveLength(0);
    expect(result.stdout).toBe('');
  });

  it('with --skip-invalid sends the rest; the malformed line gets an error line (exit 10)', async () => {
    const input = file('in.jsonl', '{"id":"a","prompt":"one"}\n{"id":"b"}\n{"prompt":"three"}\n');
    const result = await run(['batch', 'run', input, '-m', 'openai', '--skip-invalid']);
    expect(result.code).toBe(10);
    const lines = outputLines(result.stdout);
    expect(lines.map((line) => line.id)).toEqual(['a', 'b', 3]);
    expect(lines[1]!.error).toMatch(/line 2: needs a "prompt" or "messages"/);
    expect(e2e.fake.requests).toHaveLength(2);
  });

  it('exits 5 when every line failed, each output line carrying its error', async () => {
    e2e.fake.setDefault('openai', { error: { status: 400 } });
    const input = jsonl('in.jsonl', [{ prompt: 'a' }, { prompt: 'b' }]);
    const result = await run(['batch', 'run', input, '-m', 'openai']);
    expect(result.code).toBe(5);
    expect(outputLines(result.stdout).every((line) => line.error && line.text === null)).toBe(true);
  });

  it('--schema validates each line: one still invalid after its repair fails (exit 10), the others carry data', async () => {
    const input = jsonl('in.jsonl', [
      { id: 'a', prompt: 'one' },
      { id: 'b', prompt: 'two' },
      { id: 'c', prompt: 'three' },
    ]);
    // One at a time, so the replies meet the lines in order: b's reply and its repair are both wrong.
    e2e.fake.enqueue(
      'openai',
      { text: '{"label":"first"}' },
      { text: 'no JSON here' },
      { text: '{"label":7}' },
      { text: '{"label":"third"}' },
    );
    const result = await run(['batch', 'run', input, '-m', 'openai', '--concurrency', '1', '--schema', 'label', '--repair', '1']);
    expect(result.code).toBe(10);
    const lines = outputLines(result.stdout) as unknown as Array<{ id: string; data: unknown; error: string | null }>;
    expect(lines.map((line) => line.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]).toMatchObject({ data: { label: 'first' }, error: null });
    expect(lines[1]).toMatchObject({ data: null });
    expect(lines[1]!.error).toMatch(/2 attempts did not/);
    expect(lines[2]).toMatchObject({ data: { label: 'third' }, error: null });
    expect(lines.every((line) => !('text' in line))).toBe(true);
    expect(e2e.fake.requestsFor('openai')).toHaveLength(4);
  });

  it('refuses before any request when the worst case of all lines would pass a budget that one line passes (exit 6)', async () => {
    writeFileSync(path.join(e2e.home, 'config.yaml'), 'budgets:\n  daily_usd: 0.05\n');
    const one = jsonl('one.jsonl', [{ prompt: 'hello' }]);
    expect((await run(['batch', 'run', one, '-m', 'openai', '--max-tokens', '100', '-q'])).code).toBe(0);
    e2e.fake.reset();
    const many = jsonl(
      'many.jsonl',
      Array.from({ length: 500 }, (_, index) => ({ prompt: `hello ${index}` })),
    );
    const result = await run(['batch', 'run', many, '-m', 'openai', '--max-tokens', '100']);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/daily/);
    expect(e2e.fake.requests).toHaveLength(0);
  });

  it('survives 429s and a SIGKILL: resume finishes 1,000 lines in order, never resending one that had succeeded', async () => {
    const count = 1000;
    const input = jsonl(
      'in.jsonl',
      Array.from({ length: count }, (_, index) => ({ id: `line-${index + 1}`, prompt: `prompt ${index + 1}` })),
    );
    const output = path.join(e2e.home, 'out.jsonl');
    // Rate limits the vendor imposes on the way: the runner must wait them out, not fail the lines.
    e2e.fake.enqueue('openai', ...Array.from({ length: 8 }, () => ({ error: { status: 429, retryAfterMs: 20 } })));
    const child = spawnLlmo(['batch', 'run', input, '-m', 'openai', '--rpm', '12000', '--concurrency', '8', '-o', output, '-q'], {
      home: e2e.home,
      env: { ...e2e.fake.env(), ...TEST_KEYS },
    });
    child.stdin!.end();
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    // The positive signal: the journal holds at least 300 results.
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        const [directory] = (() => {
          try {
            return batchDirectories();
          } catch {
            return [];
          }
        })();
        if (directory && journalLines(directory).length >= 300) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
      child.on('close', () => {
        clearInterval(poll);
        reject(new Error('the batch ended before it could be killed'));
      });
    });
    child.kill('SIGKILL');
    await exited;

    const [directory] = batchDirectories();
    const succeeded = new Set(
      journalLines(directory!)
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as { id: string; error: string | null }];
          } catch {
            return [];
          }
        })
        .filter((result) => result.error === null)
        .map((result) => result.id.replace('line-', 'prompt ')),
    );
    expect(succeeded.size).toBeGreaterThanOrEqual(290);
    expect(succeeded.size).toBeLessThan(count);
    const before = e2e.fake.requests.length;
    const rateLimited = e2e.fake.requestsFor('openai').length;
    expect(rateLimited).toBeGreaterThan(succeeded.size);

    const id = path.basename(directory!);
    const resumed = await run(['batch', 'resume', id]);
    expect(resumed.code).toBe(0);
    const lines = outputLines(readFileSync(output, 'utf8'));
    expect(lines).toHaveLength(count);
    expect(lines.map((line) => line.id)).toEqual(Array.from({ length: count }, (_, index) => `line-${index + 1}`));
    expect(lines.every((line) => line.error === null)).toBe(true);
    const resent = e2e.fake.requests.slice(before).filter((request) => succeeded.has(promptOf(request) ?? ''));
    expect(resent).toHaveLength(0);
    expect(resumed.stderr).toMatch(new RegExp(`${succeeded.size} already done`));
    const status = await run(['batch', 'status', id, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'done', ok: count, failed: 0, total: count });
  }, 60_000);
});

describe('llmo batch submit (vendor mode)', () => {
  const VENDORS = ['openai', 'anthropic', 'gemini', 'mistral'] as const;
  /** The path each vendor's batch is created at, as recorded. */
  const CREATE_PATH: Record<(typeof VENDORS)[number], RegExp> = {
    openai: /^\/v1\/batches$/,
    anthropic: /^\/v1\/messages\/batches$/,
    gemini: /^\/v1beta\/models\/[^/]+:batchGenerateContent$/,
    mistral: /^\/v1\/batch\/jobs$/,
  };

  for (const vendor of VENDORS) {
    it(`${vendor}: submit returns at once, status polls, wait writes the results in order, usage at batch prices`, async () => {
      const input = jsonl('in.jsonl', [{ id: 'first', prompt: 'one' }, { prompt: 'two' }, { id: 'third', prompt: 'three' }]);
      const submitted = await run(['batch', 'submit', input, '-m', vendor]);
      expect(submitted.code).toBe(0);
      const id = submitted.stdout.trim();
      expect(id).toMatch(/^batch_/);
      expect(e2e.fake.requestsFor(vendor).filter((request) => CREATE_PATH[vendor].test(request.path.split('?')[0]!))).toHaveLength(1);
      // Nothing was answered one by one: the vendor runs the batch.
      expect(e2e.fake.requestsFor(vendor).some((request) => /chat\/completions$|\/messages$|:generateContent$/.test(request.path))).toBe(
        false,
      );

      const status = await run(['batch', 'status', id]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(new RegExp(`^${id}  vendor ${vendor} \\S+  running  0/3 done`));

      const waited = await run(['batch', 'wait', id, '--poll-seconds', '0']);
      expect(waited.code).toBe(0);
      const lines = outputLines(waited.stdout);
      expect(lines.map((line) => line.id)).toEqual(['first', 2, 'third']);
      expect(lines.every((line) => line.error === null && line.text?.startsWith(`Hello from fake ${vendor}`))).toBe(true);

      // Each line costs half of what its tokens cost at the model's normal prices.
      const models = JSON.parse((await run(['models', '--json'])).stdout) as Array<{
        ref: string;
        pricing?: { input: number; output: number };
      }>;
      const { pricing } = models.find((model) => model.ref === lines[0]!.model)!;
      for (const line of outputLines(waited.stdout)) {
        const full = (line.usage!.input_tokens * pricing!.input + line.usage!.output_tokens * pricing!.output) / 1e6;
        expect(line.cost_usd).toBeCloseTo(full / 2, 9);
      }
      const logged = readdirSync(path.join(e2e.home, 'usage'))
        .flatMap((name) =>
          readFileSync(path.join(e2e.home, 'usage', name), 'utf8')
            .split('\n')
            .filter(Boolean),
        )
        .map((line) => JSON.parse(line) as { source: string; source_id: string; cost_usd: number });
      expect(logged.filter((record) => record.source === 'batch' && record.source_id === id).map((record) => record.cost_usd)).toEqual(
        lines.map((line) => line.cost_usd),
      );

      // Fetched once: results again come from the journal, without asking the vendor.
      const before = e2e.fake.requests.length;
      const again = await run(['batch', 'results', id]);
      expect(again.stdout).toBe(waited.stdout);
      expect(e2e.fake.requests.length).toBe(before);
      expect((await run(['batch', 'list'])).stdout).toMatch(new RegExp(`^${id}  vendor ${vendor} \\S+  done  3/3 done, 0 failed`, 'm'));
    });

    it(`${vendor}: cancel of a running batch; its lines come back with an error`, async () => {
      const input = jsonl('in.jsonl', [{ prompt: 'one' }, { prompt: 'two' }]);
      const id = (await run(['batch', 'submit', input, '-m', vendor, '-q'])).stdout.trim();
      const cancelled = await run(['batch', 'cancel', id]);
      expect(cancelled.code).toBe(0);
      expect(cancelled.stdout).toMatch(/ {2}(cancelling|cancelled) {2}/);
      const waited = await run(['batch', 'wait', id, '--poll-seconds', '0']);
      expect(waited.code).toBe(5);
      const lines = outputLines(waited.stdout);
      expect(lines).toHaveLength(2);
      expect(lines.every((line) => line.text === null && /cancel/i.test(line.error ?? ''))).toBe(true);
    });
  }

  it('--mode auto submits to the vendor when --within allows its 24 h, and runs locally otherwise', async () => {
    const input = jsonl('in.jsonl', [{ prompt: 'one' }]);
    const vendor = await run(['batch', 'run', input, '-m', 'anthropic', '--mode', 'auto', '--within', '2d']);
    expect(vendor.code).toBe(0);
    expect(vendor.stdout.trim()).toMatch(/^batch_/);
    expect(e2e.fake.requestsFor('anthropic').map((request) => request.path)).toEqual(['/v1/messages/batches']);
    e2e.fake.reset();
    const local = await run(['batch', 'run', input, '-m', 'anthropic', '--mode', 'auto', '--within', '1h']);
    expect(local.code).toBe(0);
    expect(outputLines(local.stdout)[0]!.text).toMatch(/^Hello from fake anthropic/);
    expect(e2e.fake.requestsFor('anthropic').map((request) => request.path)).toEqual(['/v1/messages']);
  });

  it('refuses a line naming another model before anything is uploaded', async () => {
    const input = jsonl('in.jsonl', [{ prompt: 'one' }, { prompt: 'two', model: 'openai:gpt-4o' }]);
    const result = await run(['batch', 'submit', input, '-m', 'openai:gpt-4o-mini']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/names model openai:gpt-4o, but a vendor batch runs one model \(openai:gpt-4o-mini\)/);
    expect(e2e.fake.requests).toHaveLength(0);
  });

  it('refuses a provider without a batch API', async () => {
    const input = jsonl('in.jsonl', [{ prompt: 'one' }]);
    const result = await run(['batch', 'submit', input, '-m', 'deepseek']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/deepseek has no batch API/);
    expect(e2e.fake.requests).toHaveLength(0);
  });
});
