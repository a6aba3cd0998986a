/** Files and pages /attach gathered, waiting for the next prompt to take them. */
import type { ChatInput } from './session-types.js';

export class PendingInputs {
  #inputs: ChatInput[] = [];

  add(inputs: readonly ChatInput[]): void {
    this.#inputs.push(...inputs);
  }

  /** Hands them over once: the prompt that takes them gives them back if it gets no reply. */
  take(): ChatInput[] {
    const taken = this.#inputs;
    this.#inputs = [];
    return taken;
  }

  get count(): number {
    return this.#inputs.length;
  }
}
