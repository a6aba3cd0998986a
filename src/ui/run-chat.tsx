/**
 * The chat UI's entry, imported lazily by `llmo chat` so no other command loads Ink or React.
 * Renders the app, turns on bracketed paste (pastes keep their newlines), and on SIGTERM or
 * SIGHUP stops any reply and saves before leaving.
 */
import { render } from 'ink';
import { App, type AppControls } from './App.js';
import type { ChatServices } from './chat-services.js';
import { ServicesProvider } from './contexts/ServicesContext.js';
import type { ChatStart } from './hooks/useChat.js';

export type { ChatServices } from './chat-services.js';
export type { ChatStart } from './hooks/useChat.js';
export { activeModelOf, type ActiveModel } from './session/chat-session.js';
export { createSystemClipboard } from './clipboard.js';
export { loadTerminalMarkdown } from './markdown/load-markdown.js';

const BRACKETED_PASTE_ON = '\u001b[?2004h';
const BRACKETED_PASTE_OFF = '\u001b[?2004l';

export interface ChatEnd {
  conversationId: string | undefined;
  /** Set when a signal (SIGTERM, SIGHUP, SIGINT from outside) ended the chat. */
  signal: NodeJS.Signals | undefined;
  /** Why the latest exchanges are not saved (the last save failed); undefined when all is saved. */
  unsaved: Error | undefined;
}

export async function runChat(services: ChatServices, start: ChatStart): Promise<ChatEnd> {
  const controls: { current: AppControls | undefined } = { current: undefined };
  process.stdout.write(BRACKETED_PASTE_ON);
  const instance = render(
    <ServicesProvider services={services}>
      <App start={start} controls={controls} />
    </ServicesProvider>,
    { exitOnCtrlC: false, patchConsole: false, maxFps: 20 },
  );
  // In raw mode Ctrl-C is a key, not SIGINT; a signal comes from outside (kill, a closed
  // terminal). Stop the reply, save what arrived, and leave; a second signal leaves at once.
  let signal: NodeJS.Signals | undefined;
  const onSignal = (received: NodeJS.Signals) => {
    if (signal) process.exit(130);
    signal = received;
    if (controls.current) controls.current.quit();
    else instance.unmount();
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const name of signals) process.on(name, onSignal);
  try {
    await instance.waitUntilExit();
  } finally {
    for (const name of signals) process.off(name, onSignal);
    process.stdout.write(BRACKETED_PASTE_OFF);
  }
  return { conversationId: controls.current?.conversationId(), signal, unsaved: controls.current?.unsaved() };
}
