/**
 * `-m auto` where it meets the commands around it, end to end against the fakes: `chain list` and
 * `chain lint` accept every routing reference `chain run` accepts (and still flag unknown models),
 * and `llmo batch` routes local lines one by one and a vendor batch to one model before it is
 * created (README, "Routing" and "Batches").
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2e } from './helpers/e2e.js';
import { TEST_KEYS } from './helpers/run-llmo.js';

const e2e = useE2e({ providers: ['openai', 'anthropic', 'mistral'] });
const noKeys = Object.fromEntries(Object.keys(TEST_KEYS).map((name) => [name, undefined]));

describe('chain list and chain lint with auto models', () => {
  const chains = `request:
  retries: 0
chains:
  routed:
    description: Routed steps
    steps:
      - name: draft
        model: auto:cheap
        fallback: [auto]
        prompt: "Draft: {{input}}"
      - name: polish
        model: auto:best
  misspelt-mode:
    steps:
      - name: only
        model: auto:cheapest
  unknown-model:
    steps:
      - name: only
        model: nosuch:model-1
`;

  it('lists a chain whose steps are routed as valid, and still flags an unknown mode or model', async () => {
    writeFileSync(path.join(e2e.home, 'config.yaml'), chains);
    // chain list checks models against the catalog, not the keys: no key is needed for auto either.
    for (const env of [{}, noKeys]) {
      const list = await e2e.run(['chain', 'list', '--json'], { env });
      expect(list.code, list.stderr).toBe(0);
      const byName = new Map(JSON.parse(list.stdout).map((chain: { name: string }) => [chain.name, chain]));
      expect(byName.get('routed')).toMatchObject({ error: null, models: ['auto:cheap', 'auto:best'] });
      expect(byName.get('misspelt-mode')).toMatchObject({
        error: expect.stringMatching(/steps\[0\]\.model: .*unknown routing mode "cheapest" in auto:cheapest/),
      });
      expect(byName.get('unknown-model')).toMatchObject({ error: expect.stringMatching(/steps\[0\]\.model: .*unknown provider "nosuch"/) });
    }
    const text = await e2e.run(['chain', 'list']);
    expect(text.stdout).toMatch(/^routed +Routed steps +\(draft → polish; auto:cheap, auto:best\)$/m);

    // What list accepts, show and a dry run accept too, and lint passes it without a key.
    expect((await e2e.run(['chain', 'show', 'routed'])).stdout).toMatch(/model +auto:cheap → \S+:\S+/);
    expect((await e2e.run(['chain', 'run', 'routed', '--dry-run', 'x'])).code).toBe(0);
    const lint = await e2e.run(['chain', 'lint', 'routed'], { env: noKeys });
    expect(lint.code, lint.stderr).toBe(0);
    expect(lint.stdout).toBe('ok: routed (2 steps)\n');
    const misspelt = await e2e.run(['chain', 'lint', 'misspelt-mode']);
    expect(misspelt.code).toBe(3);
    expect(misspelt.stderr).toMatch(/config\.yaml:\d+: chains\.misspelt-mode\.steps\[0\]\.model: .*unknown routing mode "cheapest"/);
    expect(e2e.fake.requests).toHaveLength(0);
  });
});
