/**
 * `llmo chain new NAME --describe "…"`: asks a model for the chain, lints what it wrote and sends
 * the mistakes back for repair (--repair N, default 2), shows the dry-run plan on stderr, then
 * returns the YAML to save — when the user accepts on a terminal, or with --yes. Without a
 * terminal and without --yes it prints the YAML on stdout and exits 2: nothing is saved unseen.
 * Each call is costed, budget-checked and logged like any other (usage source: chain NAME).
 */
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseYaml } from '../../config/yaml-file.js';
import { ConfigError, isLlmoError, UsageError } from '../../errors.js';
import { callModel } from '../../orchestrator/call-model.js';
import { fencedCodeBlocks } from '../../orchestrator/extract-code-block.js';
import type { Message } from '../../providers/spec.js';
import { readChainSchema, chainSchemaFile } from '../../structured/chain-schema.js';
import { createAccounting, createResolver, defaultModelRef, getConfig, retryPolicy, timeoutMs } from '../context.js';
import { note, useColor } from '../output.js';
import { parseNumberFlag } from '../parse-number.js';
import { abortOnInterrupt } from '../signals.js';
import type { ChainNewOptions } from './chain-command.js';
import { lintChain, lintReport, type LintResult } from './chain-lint.js';
import { planLines } from './chain-plan.js';
import { schemaComment } from './chain-templates.js';
import { describeSystemPrompt, repairRequest } from './describe-prompt.js';

/** The YAML to save (with a header naming the schema and the description), or undefined: not accepted. */
export async function describeChain(
  name: string,
  description: string,
  target: string,
  options: ChainNewOptions,
): Promise<string | undefined> {
  const config = getConfig();
  const repairs = parseNumberFlag('--repair', options.repair, { min: 0, max: 10, integer: true }) ?? 2;
  const ref = options.model ?? defaultModelRef();
  const resolved = await createResolver({ quiet: Boolean(options.quiet) })(ref);
  const accounting = await createAccounting();
  const messages: Message[] = [
    { role: 'system', content: describeSystemPrompt(config.catalog, readChainSchema()) },
    { role: 'user', content: `Write a chain that does this:\n${description}` },
  ];
  let yaml = '';
  let lint: LintResult = { errors: [] };
  for (let attempt = 0; attempt <= repairs; attempt += 1) {
    if (!options.quiet) note(attempt === 0 ? `asking ${ref} for the chain…` : `asking ${ref} to repair it (${attempt} of ${repairs})…`);
    const interrupt = abortOnInterrupt();
    const result = await callModel({
      resolved,
      request: { messages, temperature: 0 },
      source: { kind: 'chain', name, step: attempt === 0 ? 'describe' : `repair-${attempt}` },
      accounting,
      retry: retryPolicy(),
      signal: interrupt.signal,
      timeoutMs: timeoutMs(undefined),
    }).finally(interrupt.dispose);
    if (result.error) throw result.error;
    yaml = fencedCodeBlocks(result.text)[0] ?? result.text;
    lint = await lintText(yaml, target, name);
    if (lint.errors.length === 0) break;
    if (!options.quiet) process.stderr.write(lintReport(lint.errors));
    // The model needs the mistakes, not where the user keeps files.
    const mistakes = lint.errors.map((error) => error.message.replaceAll(`${target}:`, `${path.basename(target)}:`)).join('\n');
    messages.push({ role: 'assistant', content: result.text }, { role: 'user', content: repairRequest(mistakes) });
  }
  if (!lint.plan) {
    process.stdout.write(yaml.endsWith('\n') ? yaml : `${yaml}\n`);
    throw new ConfigError(
      `the chain ${ref} wrote still has ${lint.errors.length} mistake${lint.errors.length === 1 ? '' : 's'} after ${repairs} repair${repairs === 1 ? '' : 's'}; not saved`,
      {
        hint: 'its YAML is on stdout: fix it by hand and check it with llmo chain lint FILE, or try again with --repair N or another -m model',
      },
    );
  }
  process.stderr.write(`${planLines(lint.plan, { rendered: true }, useColor()).join('\n')}\n`);
  const text = `${schemaComment(chainSchemaFile())}\n# Written by llmo chain new from: ${description.replace(/\s+/g, ' ').trim()}\n${yaml.endsWith('\n') ? yaml : `${yaml}\n`}`;
  if (options.yes) return text;
  if (!(process.stdin.isTTY && process.stderr.isTTY)) {
    process.stdout.write(text);
    throw new UsageError(`chain "${name}" was not saved: there is no terminal to confirm on`, {
      hint: 'add --yes to save it without asking (its YAML is on stdout)',
    });
  }
  return (await confirm(`save it as ${target}? [y/N] `)) ? text : undefined;
}

async function lintText(yaml: string, target: string, name: string): Promise<LintResult> {
  try {
    const source = parseYaml(target, yaml);
    return await lintChain({ kind: 'file', name, definition: source.value, source, base: [] }, getConfig());
  } catch (error) {
    if (!isLlmoError(error)) throw error;
    return { errors: [error instanceof ConfigError ? error : new ConfigError(error.message)] };
  }
}

async function confirm(question: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await readline.question(question)).trim());
  } finally {
    readline.close();
  }
}
