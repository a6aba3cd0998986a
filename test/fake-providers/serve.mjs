#!/usr/bin/env node
// Runs the fake providers as a process: prints one JSON line with the base URLs, then serves
// until killed. Used by the bench and by anyone poking at llmo by hand:
//   node test/fake-providers/serve.mjs   →   {"openai":"http://127.0.0.1:41234/v1", …}
import { startFakeProviders } from './server.mjs';

const fake = await startFakeProviders();
process.stdout.write(`${JSON.stringify({ baseURLs: fake.baseURLs, env: fake.env() })}\n`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
