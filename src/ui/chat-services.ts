/** Everything the chat UI is given from outside; tests pass fakes for all of it. */
import type { Settings } from '../config/settings.js';
import type { Clipboard } from './clipboard.js';
import type { MarkdownRenderer } from './markdown/load-markdown.js';
import type { SessionServices } from './session/chat-session.js';
import type { ChatInputReader } from './session/session-types.js';

export interface ChatServices extends SessionServices {
  settings: Settings;
  clipboard: Clipboard;
  /** Loads the markdown renderer (lazily: the first prompt is drawn before it loads). */
  loadMarkdown: () => Promise<MarkdownRenderer>;
  /** Colour in the UI's own text (false under NO_COLOR). */
  color: boolean;
  /** Reads /attach and @path sources; without it they are refused. */
  inputs?: ChatInputReader | undefined;
}
