// Preloaded with `node --import` in tests: records the URL of every ES module node loads into
// the file named by LLMO_TRACE_FILE, so a test can prove what a command did (not) load.
import { register } from 'node:module';

register('./trace-modules-hooks.mjs', import.meta.url, { data: { file: process.env.LLMO_TRACE_FILE } });
