/**
 * What `llmo chain new --describe` tells the model: the format in brief, the names it may use
 * (models, roles, personas of this configuration) and the chain schema itself.
 */
import type { ModelCatalog } from '../../config/catalog.js';

const FORMAT = `You write chain files for llmo, a command-line tool that sends text through several language models in order.
A chain file is YAML with \`description\` (one line) and \`steps\` (a list) at its top level.
- A step: name (letters, digits, - and _), model, prompt, optional role, persona, system, max_tokens, temperature, fallback (list of models), schema.
- A prompt is a template: {{input}} (the chain's input), {{previous}} (the previous step's output), {{steps.NAME.output}}, {{steps.NAME.outputs}} (a parallel stage's or foreach's labelled outputs), {{steps.NAME.json.FIELD}} (needs the step to have a schema), {{vars.KEY}} (needs a default under vars:).
- schema: the concise form "field, count int, ok bool, tags [str]" makes the step answer JSON.
- A parallel stage: parallel: [modelA, modelB] instead of model, with merge: concat | judge | vote | first_valid (judge needs merge_model).
- when: an expression (steps.grade.json.score < 7 and not (input contains 'WIP'); operators == != < <= > >= contains matches and or not, length(x)) or { judge: MODEL, question: "yes/no question" }; a skipped step outputs "".
- A block is a step with a name and no model: repeat: { max_iterations: N (required, 1..100), until: EXPRESSION or judge, steps: [...] } ({{loop.iteration}}, {{loop.previous}} inside);
  switch: { on: EXPRESSION or { judge, question, answers: [a, b] }, cases: { a: [steps], b: [steps] }, default: [steps] };
  foreach: { items: "steps.X.json.list" | lines: "steps.X.output" | chunks: "input" with chunk_tokens: N, concurrency: N, steps: [...] } ({{item}}, {{item.FIELD}}, {{item_index}} inside).
- Step names are unique across the whole chain; a step may only read steps before it.
- on_error: stop | skip | fallback on a step.
Answer with the YAML only, in one \`\`\`yaml block, without explanations.`;

export function describeSystemPrompt(catalog: ModelCatalog, schema: string): string {
  const models = [...catalog.providers.values()].flatMap((provider) =>
    provider.models.flatMap((model) => (model.aliases.length ? model.aliases : [`${provider.name}:${model.name}`])),
  );
  return [
    FORMAT,
    `Models you may name (aliases): ${models.join(', ')}.`,
    `Roles: ${Object.keys(catalog.systemPrompts.roles).join(', ') || 'none'}. Personas: ${Object.keys(catalog.systemPrompts.personas).join(', ') || 'none'}.`,
    `The JSON Schema (draft-07) every chain file must match:\n${JSON.stringify(JSON.parse(schema))}`,
  ].join('\n\n');
}

export function repairRequest(mistakes: string): string {
  return `llmo chain lint found these mistakes in that chain:\n${mistakes}\n\nAnswer with the whole corrected YAML only, in one \`\`\`yaml block.`;
}
