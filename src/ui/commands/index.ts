/** The built-in slash commands, in the order /help lists them. */
import { attachCommand } from './attach-command.js';
import { compressCommand, editCommand, forkCommand } from './branch-commands.js';
import { clearCommand, loadCommand, saveCommand } from './conversation-commands.js';
import { modeCommand } from './mode-command.js';
import { modelCommand } from './model-command.js';
import { providerCommand } from './provider-command.js';
import { copyCommand, costCommand, retryCommand } from './reply-commands.js';
import { exitCommand, helpCommand, rawCommand, setCommand } from './session-commands.js';
import { personaCommand, roleCommand, systemCommand } from './system-commands.js';
import { toolsCommand } from './tool-commands.js';
import type { SlashCommand } from './types.js';

export const builtinCommands: readonly SlashCommand[] = [
  helpCommand,
  modelCommand,
  providerCommand,
  systemCommand,
  personaCommand,
  roleCommand,
  modeCommand,
  clearCommand,
  saveCommand,
  loadCommand,
  retryCommand,
  editCommand,
  forkCommand,
  attachCommand,
  compressCommand,
  copyCommand,
  costCommand,
  rawCommand,
  toolsCommand,
  setCommand,
  exitCommand,
];

export type { CommandContext, CommandResult, PickItem, RequestParameters, SlashCommand } from './types.js';
