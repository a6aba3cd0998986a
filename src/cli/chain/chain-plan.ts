/**
 * A chain's plan for people (`chain run --dry-run`, `chain show`) and for scripts (--json):
 * each step's models as resolved, its system prompt, and its prompt — rendered with the input
 * and placeholders such as ‹output of step analyze› for a dry run, the template as written for show.
 */
import { foreachBound, plannedCalls, stepCalls, worstCaseUsd } from '../../orchestrator/chain-budget.js';
import type { PlannedCondition } from '../../orchestrator/planned-chain.js';
import { renderStepPrompt } from '../../orchestrator/step-prompt.js';
import type { ChainPlan, PlannedBranch, PlannedStep } from '../../orchestrator/validate-chain.js';
import type { ModelRef } from '../../providers/registry.js';
import { formatUsd } from '../../usage/pricing.js';
import { paint } from '../output.js';

export interface PlanView {
  /** Render prompts with this input (dry run); undefined shows the templates as written. */
  input?: string | undefined;
  rendered: boolean;
}

function promptOf(plan: ChainPlan, step: PlannedStep, view: PlanView): string {
  return view.rendered
    ? renderStepPrompt(plan, step, { input: view.input === '' ? undefined : view.input, outputs: new Map() })
    : step.prompt;
}

const resolvedName = (model: ModelRef) => `${model.provider.name}:${model.modelId}`;

export function planLines(plan: ChainPlan, view: PlanView, color: boolean): string[] {
  const { chain } = plan;
  const lines: string[] = [];
  const source = chain.origin.kind === 'inline' ? 'inline' : chain.origin.where;
  lines.push(`${paint(`chain ${chain.name}`, 'bold', color)}${chain.description ? `: ${chain.description}` : ''}`);
  const facts = [`from ${source}`, `${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}`];
  if (view.rendered) facts.push(view.input ? `input: ${view.input.length} characters` : 'input: none given');
  if (chain.budgetUsd !== undefined) facts.push(`budget ${formatUsd(chain.budgetUsd)}`);
  if (view.rendered) {
    const worst = worstCaseUsd(plannedCalls(plan, view.input));
    facts.push(
      `worst case ${formatUsd(worst.usd)}${worst.unpriced ? ` + ${worst.unpriced} unpriced call${worst.unpriced === 1 ? '' : 's'}` : ''}`,
    );
  }
  lines.push(paint(facts.join(' · '), 'dim', color));
  if (Object.keys(plan.vars).length)
    lines.push(
      paint(
        `vars: ${Object.entries(plan.vars)
          .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
          .join(', ')}`,
        'dim',
        color,
      ),
    );
  for (const [position, step] of plan.steps.entries()) lines.push('', ...stepLines(plan, step, view, color, `${position + 1}`, ''));
  return lines;
}

function stepLines(plan: ChainPlan, step: PlannedStep, view: PlanView, color: boolean, number: string, indent: string): string[] {
  const lines: string[] = [];
  const pad = `${indent}   `;
  const runtime = paint('decided at run time', 'dim', color);
  const worst = view.rendered ? worstCaseUsd(stepCalls(plan, step, view.input)) : undefined;
  const worstText = worst ? ` · worst case ${formatUsd(worst.usd)}${worst.unpriced ? ` + ${worst.unpriced} unpriced` : ''}` : '';
  if (step.block) {
    lines.push(
      `${indent}${number}. ${paint(step.name, 'bold', color)} (${blockSummary(step)}) · ${runtime}${paint(worst ? `${worstText}${boundOf(step, view.input)}` : '', 'dim', color)}`,
    );
  } else {
    lines.push(
      `${indent}${number}. ${paint(step.name, 'bold', color)}${step.parallel ? ` (parallel, ${step.branches.length} branch${step.branches.length === 1 ? '' : 'es'})` : ''}`,
    );
  }
  if (step.when)
    lines.push(`${pad}when    ${conditionText(step.when)}  ${runtime}${step.block ? '' : paint(' (counted as taken)', 'dim', color)}`);
  if (step.onError) lines.push(`${pad}on_error ${step.onError}`);
  if (step.block?.kind === 'repeat' || step.block?.kind === 'foreach') {
    for (const [position, inner] of step.block.steps.entries())
      lines.push(...stepLines(plan, inner, view, color, `${number}.${position + 1}`, pad));
    return lines;
  }
  if (step.block?.kind === 'switch') {
    const cases = [...step.block.cases, ...(step.block.default ? [{ name: 'default', steps: step.block.default }] : [])];
    for (const item of cases) {
      lines.push(`${pad}case ${item.name}:`);
      for (const [position, inner] of item.steps.entries())
        lines.push(...stepLines(plan, inner, view, color, `${number}.${item.name}.${position + 1}`, `${pad}  `));
    }
    return lines;
  }
  step.branches.forEach((branch, index) => {
    const branchIndent = step.parallel ? `${pad}   ` : pad;
    if (step.parallel) lines.push(`${pad}[${index + 1}] ${modelLine(branch)}`);
    else lines.push(`${pad}model   ${modelLine(branch)}`);
    const settings = [
      branch.settings.role ? `role ${branch.settings.role}` : '',
      branch.settings.persona ? `persona ${branch.settings.persona}` : '',
      branch.settings.maxTokens !== undefined ? `max_tokens ${branch.settings.maxTokens}` : '',
      branch.settings.temperature !== undefined ? `temperature ${branch.settings.temperature}` : '',
    ].filter(Boolean);
    if (settings.length) lines.push(`${branchIndent}${paint(settings.join(' · '), 'dim', color)}`);
    if (branch.system) lines.push(...block(`${branchIndent}system  `, branch.system, color));
  });
  if (step.merge) {
    const judge = step.merge.model ? ` by ${step.merge.model.ref} (${resolvedName(step.merge.model)}), one more call` : '';
    lines.push(`${pad}merge   ${step.merge.strategy}${judge}  ${paint('decided at run time', 'dim', color)}`);
  }
  if (step.tools) {
    const limit = step.tools.maxSteps === undefined ? 'tools.max_steps' : `${step.tools.maxSteps}`;
    lines.push(`${pad}tools   ${step.tools.selectors.join(', ')}  ${paint(`(at most ${limit} steps)`, 'dim', color)}`);
  }
  lines.push(...block(`${pad}prompt  `, promptOf(plan, step, view), color));
  return lines;
}

/** `repeat, at most 5 iterations, until …` or `switch on …`. */
function blockSummary(step: PlannedStep): string {
  const block = step.block!;
  if (block.kind === 'repeat') {
    const stops = [block.until ? `until ${conditionText(block.until)}` : '', block.untilStable ? 'until stable' : ''].filter(Boolean);
    return [`repeat, at most ${block.maxIterations} iteration${block.maxIterations === 1 ? '' : 's'}`, ...stops].join(', ');
  }
  if (block.kind === 'foreach') {
    const size = block.source.kind === 'chunks' ? ` of at most ${block.chunkTokens} tokens` : '';
    const atOnce = block.concurrency ? `, ${block.concurrency} at a time` : '';
    return `foreach ${block.source.kind}${size} of ${block.source.expression.source}${atOnce}`;
  }
  return `switch on ${conditionText(block.on)}`;
}

/** The bound the worst case used. */
function boundOf(step: PlannedStep, input: string | undefined): string {
  const block = step.block!;
  if (block.kind === 'foreach') {
    const bound = foreachBound(block, input);
    return bound.known ? ` (× ${bound.items} chunks of the input)` : ` (× max_items ${bound.items})`;
  }
  return block.kind === 'repeat' ? ` (× ${block.maxIterations} iterations)` : ' (the dearest case)';
}

export function conditionText(condition: PlannedCondition): string {
  if (condition.kind === 'expression') return condition.expression.source;
  return `judge ${condition.model.ref}: ${JSON.stringify(condition.question)}${condition.answers ? ` → ${condition.answers.join(' | ')}` : ''}`;
}

function modelLine(branch: PlannedBranch): string {
  const [primary, ...fallbacks] = branch.models;
  const name = (model: ModelRef) => (model.ref === resolvedName(model) ? model.ref : `${model.ref} → ${resolvedName(model)}`);
  return `${name(primary!)}${fallbacks.length ? `  (fallback: ${fallbacks.map(name).join(', then ')})` : ''}`;
}

/** A labelled block of text, every line behind a bar so where it starts and ends is plain. */
function block(label: string, text: string, color: boolean): string[] {
  const pad = ' '.repeat(label.length);
  return text.split('\n').map((line, index) => `${index === 0 ? label : pad}${paint('│', 'dim', color)} ${line}`.trimEnd());
}

export function planJson(plan: ChainPlan, view: PlanView): unknown {
  const { chain } = plan;
  const worst = view.rendered ? worstCaseUsd(plannedCalls(plan, view.input)) : undefined;
  return {
    chain: {
      name: chain.name,
      source: chain.origin.kind,
      where: chain.origin.where,
      description: chain.description ?? null,
      budget_usd: chain.budgetUsd ?? null,
    },
    ...(view.rendered ? { input: view.input ?? null, worst_case_usd: worst!.usd, unpriced_calls: worst!.unpriced } : {}),
    vars: plan.vars,
    steps: plan.steps.map((step) => stepJson(plan, step, view)),
  };
}

function stepJson(plan: ChainPlan, step: PlannedStep, view: PlanView): unknown {
  return {
    name: step.name,
    parallel: step.parallel,
    ...(view.rendered ? { prompt: promptOf(plan, step, view) } : {}),
    template: step.prompt,
    tools: step.tools ? { selectors: step.tools.selectors, max_steps: step.tools.maxSteps ?? null } : null,
    ...(step.merge
      ? {
          merge: {
            strategy: step.merge.strategy,
            model: step.merge.model ? resolvedName(step.merge.model) : null,
            decided_at_run_time: true,
          },
        }
      : {}),
    branches: step.branches.map((branch) => ({
      model: branch.settings.model,
      resolved: resolvedName(branch.models[0]!),
      fallback: branch.models.slice(1).map((model) => ({ model: model.ref, resolved: resolvedName(model) })),
      role: branch.settings.role ?? null,
      persona: branch.settings.persona ?? null,
      system: branch.system ?? null,
      max_tokens: branch.settings.maxTokens ?? null,
      temperature: branch.settings.temperature ?? null,
    })),
    when: step.when ? conditionText(step.when) : null,
    on_error: step.onError ?? 'stop',
    ...(step.block ? { block: blockJson(plan, step, view) } : {}),
  };
}

/** A block in the plan: decided at run time, with its worst case and the bound it used. */
function blockJson(plan: ChainPlan, step: PlannedStep, view: PlanView): unknown {
  const block = step.block!;
  const worst = view.rendered ? worstCaseUsd(stepCalls(plan, step, view.input)).usd : null;
  const common = { kind: block.kind, decided_at_run_time: true, worst_case_usd: worst };
  if (block.kind === 'repeat') {
    return {
      ...common,
      max_iterations: block.maxIterations,
      until: block.until ? conditionText(block.until) : null,
      until_stable: block.untilStable,
      steps: block.steps.map((inner) => stepJson(plan, inner, view)),
    };
  }
  if (block.kind === 'foreach') {
    const bound = foreachBound(block, view.input);
    return {
      ...common,
      source: block.source.kind,
      expression: block.source.expression.source,
      chunk_tokens: block.source.kind === 'chunks' ? block.chunkTokens : null,
      concurrency: block.concurrency ?? null,
      max_items: block.maxItems,
      worst_case_items: bound.items,
      items_known: bound.known,
      steps: block.steps.map((inner) => stepJson(plan, inner, view)),
    };
  }
  return {
    ...common,
    on: conditionText(block.on),
    cases: Object.fromEntries(block.cases.map((item) => [item.name, item.steps.map((inner) => stepJson(plan, inner, view))])),
    default: block.default ? block.default.map((inner) => stepJson(plan, inner, view)) : null,
  };
}
