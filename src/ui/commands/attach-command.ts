/** /attach: an image, a PDF, a text file, a folder or a page goes with the next prompt. */
import { completePath } from '../input/complete-path.js';
import { errorResult } from './command-error.js';
import { failure, type SlashCommand } from './types.js';

export const attachCommand: SlashCommand = {
  name: 'attach',
  argumentHint: 'PATH|URL',
  description: 'send a file (image, PDF or text), a folder or a page with the next prompt; @path in a message does the same',
  completion: (_context, partial) => completePath(partial),
  async action(context, args) {
    const source = args.trim();
    if (source === '') return failure('/attach needs a path or an http(s) URL', 'Tab completes paths; @path in a message attaches too');
    if (!context.inputs) return failure('this chat cannot read files');
    try {
      const { inputs, notes } = await context.inputs.read(source);
      if (inputs.length === 0) return failure(`${source}: nothing to attach${notes.length ? ` (${notes.join('; ')})` : ''}`);
      return { type: 'attach', inputs, notes, source };
    } catch (error) {
      return errorResult(error);
    }
  },
};
