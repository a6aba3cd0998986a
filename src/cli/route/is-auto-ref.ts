/** `auto`, or `auto:` and a mode: a model reference `-m auto` routing answers (route-model.ts). Kept apart so the check loads nothing. */
export function isAutoRef(ref: string): boolean {
  return ref === 'auto' || ref.startsWith('auto:');
}
