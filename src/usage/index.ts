/** The usage module's entry: accounting backed by the usage log and the configured budgets. */
import type { LlmoConfig } from '../config/load.js';
import { noAccounting, type Accounting } from './accounting.js';

export function createUsageAccounting(_config: LlmoConfig, _options: { noBudget?: boolean }): Accounting {
  // Placeholder until the usage log and budgets land (issue 6).
  return noAccounting;
}
