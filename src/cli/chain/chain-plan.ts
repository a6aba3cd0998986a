/**
 * A chain's plan for people (`chain run --dry-run`, `chain show`) and for scripts (--json):
 * each step's models as resolved, its system prompt, and its prompt — rendered with the input
 * and placeholders such as ‹output of step analyze› for a dry run, the template as written for show.
 */
import { plannedCalls, worstCaseUsd } from '../../orchestrator/chain-budget.js';
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
  for (const step of plan.steps) {
    lines.push('');
    lines.push(
      `${step.index + 1}. ${paint(step.name, 'bold', color)}${step.parallel ? ` (parallel, ${step.branches.length} branch${step.branches.length === 1 ? '' : 'es'})` : ''}`,
    );
    step.branches.forEach((branch, index) => {
      const indent = step.parallel ? '      ' : '   ';
      if (step.parallel) lines.push(`   [${index + 1}] ${modelLine(branch)}`);
      else lines.push(`   model   ${modelLine(branch)}`);
      const settings = [
        branch.settings.role ? `role ${branch.settings.role}` : '',
        branch.settings.persona ? `persona ${branch.settings.persona}` : '',
        branch.settings.maxTokens !== undefined ? `max_tokens ${branch.settings.maxTokens}` : '',
        branch.settings.temperature !== undefined ? `temperature ${branch.settings.temperature}` : '',
      ].filter(Boolean);
      if (settings.length) lines.push(`${indent}${paint(settings.join(' · '), 'dim', color)}`);
      if (branch.system) lines.push(...block(`${indent}system  `, branch.system, color));
    });
    if (step.tools) {
      const limit = step.tools.maxSteps === undefined ? 'tools.max_steps' : `${step.tools.maxSteps}`;
      lines.push(`   tools   ${step.tools.selectors.join(', ')}  ${paint(`(at most ${limit} steps)`, 'dim', color)}`);
    }
    lines.push(...block(`   prompt  `, promptOf(plan, step, view), color));
  }
  return lines;
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
    steps: plan.steps.map((step) => ({
      name: step.name,
      parallel: step.parallel,
      ...(view.rendered ? { prompt: promptOf(plan, step, view) } : {}),
      template: step.prompt,
      tools: step.tools ? { selectors: step.tools.selectors, max_steps: step.tools.maxSteps ?? null } : null,
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
    })),
  };
}
