/**
 * A step's prompt from its template and what is known so far, and the request each of its
 * branches sends. Outputs not known yet (a dry run, a budget estimate) become placeholders such
 * as ‹output of step analyze›, so a plan can be shown before anything runs.
 */
import type { Message, ModelRequest } from '../providers/spec.js';
import { jsonValueText, renderTemplate, type TemplatePart, type TemplateVariable } from './template.js';
import type { ChainPlan, PlannedBranch, PlannedStep } from './validate-chain.js';

export interface StepOutput {
  /** The text later steps see as {{steps.NAME.output}} (for a parallel stage: the joined outputs). */
  output: string;
  /** {{steps.NAME.outputs}}: each good branch's output under a labelled separator. */
  outputs: string;
  /** {{steps.NAME.json…}}: a schema'd step's value (a parallel stage's: one per good branch). */
  json?: unknown;
}

export interface PromptValues {
  /** Undefined in a dry run without input: shown as ‹input›. */
  input: string | undefined;
  outputs: ReadonlyMap<string, StepOutput>;
  /** What {{previous}} reads during a run; undefined before it (a placeholder is shown). */
  previous?: string | undefined;
  /** Inside a repeat block. */
  loop?: { iteration: number; previous: string } | undefined;
  /** Inside a foreach block. */
  item?: { value: unknown; index: number } | undefined;
}

export function renderStepPrompt(plan: ChainPlan, step: PlannedStep, values: PromptValues): string {
  return renderWith(plan, step, step.template, values);
}

/** Any template of a step (its prompt, a judge's `about:`) with the values known so far. */
export function renderWith(plan: ChainPlan, step: PlannedStep, template: readonly TemplatePart[], values: PromptValues): string {
  const valueFor = (variable: TemplateVariable): string => {
    switch (variable.kind) {
      case 'input':
        return values.input ?? '‹input›';
      case 'previous': {
        if (values.previous !== undefined) return values.previous;
        const label = step.previousLabel ?? 'input';
        return label === 'input' ? (values.input ?? '‹input›') : `‹${label}›`;
      }
      case 'step': {
        const known = values.outputs.get(variable.step);
        if (known) return known[variable.field];
        return `‹${variable.field} of step ${variable.step}›`;
      }
      case 'step-json': {
        const known = values.outputs.get(variable.step);
        const shown = [variable.step, ...variable.path].join('.');
        if (!known) return `‹json ${shown} of step ${variable.step}›`;
        return jsonValueText(known.json, variable.path) ?? '';
      }
      case 'var':
        return plan.vars[variable.key] ?? '';
      case 'loop':
        if (!values.loop) return `‹loop.${variable.field}›`;
        return variable.field === 'iteration' ? String(values.loop.iteration) : values.loop.previous;
      case 'item':
        if (!values.item) return `‹${['item', ...variable.path].join('.')}›`;
        return jsonValueText(values.item.value, variable.path) ?? '';
      case 'item-index':
        return values.item ? String(values.item.index) : '‹item_index›';
    }
  };
  return renderTemplate(template, valueFor);
}

/** What later steps see of a step: one output as is; a parallel stage's good outputs, labelled. */
export function stepOutput(parallel: boolean, outputs: ReadonlyArray<{ label: string; text: string; data?: unknown }>): StepOutput {
  if (!parallel && outputs.length === 1) return { output: outputs[0]!.text, outputs: outputs[0]!.text, json: outputs[0]!.data };
  const joined = outputs
    .map((output, index) => `--- output ${index + 1} of ${outputs.length} (${output.label}) ---\n${output.text.trim()}`)
    .join('\n\n');
  return { output: joined, outputs: joined, json: outputs.map((output) => output.data) };
}

export function branchRequest(branch: PlannedBranch, prompt: string): ModelRequest {
  const messages: Message[] = [
    ...(branch.system ? [{ role: 'system' as const, content: branch.system }] : []),
    { role: 'user', content: prompt },
  ];
  const { maxTokens, temperature } = branch.settings;
  return {
    messages,
    maxTokens,
    temperature,
  };
}
