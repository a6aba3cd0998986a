/** `llmo models prices import FILE`: a LiteLLM price file into the user's models.yaml, diff first. */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { applyPriceOverlay, describeChanges, pricesFromLiteLLM } from '../../config/price-import.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { UsageError } from '../../errors.js';
import { resolveModelRef } from '../../providers/registry.js';
import { getConfig } from '../context.js';

export interface PricesImportOptions {
  model: string[];
  yes?: boolean;
}

export async function importPrices(file: string, options: PricesImportOptions): Promise<void> {
  const config = getConfig();
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${file} as a LiteLLM price file: ${(error as Error).message}`, {
      hint: "give the path of LiteLLM's model_prices_and_context_window.json (or a file in its format)",
    });
  }
  const named = options.model.map((ref) => {
    const resolved = resolveModelRef(config.catalog, ref);
    return { provider: resolved.provider.name, model: resolved.modelId };
  });
  const changes = pricesFromLiteLLM(data, config.catalog, named);
  const target = config.paths.userModelsFile;
  if (changes.length === 0) {
    process.stdout.write(`no price in ${file} differs from what llmo has for its models; nothing to write\n`);
    return;
  }
  process.stdout.write(describeChanges(changes));
  if (!options.yes) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UsageError(`not written: ${changes.length} price change(s) above`, { hint: `pass --yes to write them into ${target}` });
    }
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await prompt.question(`write ${changes.length} price change(s) into ${target}? [y/N] `).finally(() => prompt.close());
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stdout.write('nothing written\n');
      return;
    }
  }
  const current = await readFile(target, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  await writeFileAtomic(target, applyPriceOverlay(current, changes, today()));
  process.stdout.write(`wrote ${changes.length} price(s) into ${target}\n`);
}

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
