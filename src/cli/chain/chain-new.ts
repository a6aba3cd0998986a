/**
 * `llmo chain new NAME --from TEMPLATE | --describe "…"`: writes an editable chain file to the
 * user's chains directory (`<config dir>/chains/NAME.yaml`, where `chain run NAME` finds it), or
 * to `-o PATH`. An existing file is never replaced without --force (exit 2, before any call).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { UsageError } from '../../errors.js';
import { chainSchemaFile } from '../../structured/chain-schema.js';
import { getConfig } from '../context.js';
import { note } from '../output.js';
import type { ChainNewOptions } from './chain-command.js';
import { templateText } from './chain-templates.js';
import { userChainsDir } from './user-chains.js';

const CHAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export async function chainNew(name: string, options: ChainNewOptions): Promise<void> {
  if (!CHAIN_NAME.test(name)) {
    throw new UsageError(`a chain name holds letters, digits, - and _, got "${name}"`, {
      hint: 'e.g. llmo chain new review-sql --from review-code',
    });
  }
  if ((options.from === undefined) === (options.describe === undefined)) {
    throw new UsageError('chain new needs either --from TEMPLATE or --describe "what the chain does"', {
      hint: 'llmo chain templates lists the templates',
    });
  }
  const config = getConfig();
  const target = options.output ? path.resolve(options.output) : path.join(userChainsDir(config), `${name}.yaml`);
  if (existsSync(target) && !options.force) {
    throw new UsageError(`${target} exists already; not replaced`, {
      hint: 'add --force to replace it, or -o PATH to write elsewhere',
    });
  }
  if (options.from !== undefined) {
    await saveChain(target, templateText(options.from, chainSchemaFile()), name, options);
    return;
  }
  const { describeChain } = await import('./chain-describe.js');
  const yaml = await describeChain(name, options.describe!, target, options);
  if (yaml === undefined) note('not saved');
  else await saveChain(target, yaml, name, options);
}

async function saveChain(target: string, text: string, name: string, options: ChainNewOptions): Promise<void> {
  await writeFileAtomic(target, text, options.force ? {} : { exclusive: true });
  const config = getConfig();
  const inUserDirectory = path.dirname(target) === userChainsDir(config) && path.basename(target) === `${name}.yaml`;
  const run = inUserDirectory ? name : target;
  if (options.quiet) return;
  note(`wrote ${target}; edit it, then: llmo chain lint ${run} && llmo chain run ${run}`);
  if (inUserDirectory && config.settings.chains.has(name))
    note(`a chain named "${name}" in config comes first: run this file as llmo chain run ${target}`);
}
