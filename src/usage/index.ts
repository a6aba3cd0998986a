/** The usage module's entry: accounting backed by the usage log and the configured budgets. */
import type { LlmoConfig } from '../config/load.js';
import type { Accounting } from './accounting.js';
import { UsageAccounting } from './usage-accounting.js';

export interface UsageAccountingChoices {
  /** `--no-budget`: skip budget checks for this run (calls are still recorded). */
  noBudget?: boolean;
  /** How to print a warning / a note on stderr (the CLI's coloured `warn`/`note`); plain by default. */
  warn?: (message: string) => void;
  note?: (message: string) => void;
}

export function createUsageAccounting(config: LlmoConfig, options: UsageAccountingChoices): Accounting {
  return new UsageAccounting({
    usageDir: config.paths.usageDir,
    budgets: config.settings.budgets,
    configFile: config.paths.userConfigFile,
    noBudget: options.noBudget ?? false,
    ...(options.warn ? { warn: options.warn } : {}),
    ...(options.note ? { note: options.note } : {}),
  });
}
