/** The chains test/chain-control.test.ts and test/chain-loops.test.ts run: one of each construct. */
export const CONFIG = `
request:
  retries: 1
  retry_base_delay_ms: 1
  retry_max_delay_ms: 5
chains:
  gate:
    steps:
      - name: grade
        model: openai
        schema: "score int, comment"
      - name: fix
        when: "steps.grade.json.score < 7 and not (input contains 'WIP')"
        model: anthropic
        prompt: "Fix: {{steps.grade.json.comment}}"
      - name: final
        model: gemini
        prompt: "Final: {{previous}}"
  code-check:
    steps:
      - name: draft
        model: openai
      - name: tests
        when: { judge: gemini, question: "Does the text contain code?" }
        model: anthropic
        prompt: "Write tests for: {{previous}}"
  refine:
    steps:
      - name: loop
        repeat:
          max_iterations: 3
          until: "steps.review.output contains 'APPROVED'"
          steps:
            - name: draft
              model: openai
              prompt: "Iteration {{loop.iteration}}. {{loop.previous}}\\nFeedback: {{steps.review.output}}"
            - name: review
              model: anthropic
              prompt: "Say APPROVED or list problems:\\n{{steps.draft.output}}"
  settle:
    steps:
      - name: polish
        repeat:
          max_iterations: 5
          until_stable: true
          steps:
            - name: rewrite
              model: openai
              prompt: "Polish: {{loop.previous}}"
  triage:
    steps:
      - name: route
        switch:
          on: { judge: gemini, question: "Bug, feature or question?", answers: [bug, feature, question] }
          cases:
            bug: [ { name: fix-bug, model: anthropic, prompt: "Triage: {{input}}" } ]
            feature: [ { name: spec, model: openai } ]
          default: [ { name: answer, model: mistral } ]
  classify:
    steps:
      - name: kind
        model: openai
      - name: route
        switch:
          on: "steps.kind.output"
          cases:
            bug: [ { name: fix-bug, model: anthropic } ]
          default: [ { name: answer, model: gemini, prompt: "Answer: {{input}}" } ]
  tolerant:
    steps:
      - name: first
        model: openai
      - name: flaky
        model: anthropic
        on_error: skip
      - name: last
        model: gemini
        prompt: "Last: {{previous}}"
  rescued:
    steps:
      - name: flaky
        model: anthropic
        fallback: [gemini]
        on_error: fallback
      - name: last
        model: openai
  costly:
    budget_usd: 0.5
    steps:
      - name: loop
        repeat:
          max_iterations: 100
          until: { judge: haiku, question: "Good enough?" }
          steps:
            - { name: draft, model: sonnet }
  unbounded:
    steps:
      - name: loop
        repeat:
          max_iterations: 100
          until: "steps.draft.output contains 'DONE'"
          steps:
            - { name: draft, model: sonnet }
  soft-loop:
    steps:
      - name: loop
        on_error: skip
        repeat:
          max_iterations: 2
          steps:
            - { name: draft, model: anthropic }
      - name: after
        model: gemini
        prompt: "After: {{previous}}"
  broken:
    steps:
      - name: grade
        model: openai
      - name: fix
        when: "steps.grade.output contains 'x' and"
        model: anthropic
`;
