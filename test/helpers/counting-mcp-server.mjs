// server-everything over stdio, noting each start: appends its pid to the file $SPAWN_LOG, so a
// test can count how many times llmo started the server.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

appendFileSync(process.env.SPAWN_LOG, `${process.pid}\n`);
const script = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
process.argv = [process.argv[0], script];
await import(script);
