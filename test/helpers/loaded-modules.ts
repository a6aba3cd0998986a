/**
 * What a run of the built llmo loaded: every dist chunk is traced (trace-modules.mjs), and its
 * source map says which packages and which of our source files went into it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeHome, removeHome, repoRoot, type RunOptions, runLlmo } from './run-llmo.js';

const tracer = path.join(repoRoot, 'test', 'helpers', 'trace-modules.mjs');

/** The packages (node_modules/<name>) bundled into the dist chunks a command loaded. */
export async function packagesLoaded(
  args: string[],
  env: Record<string, string> = {},
  home?: string,
  options: Pick<RunOptions, 'stdin' | 'cwd'> = {},
) {
  const traceFolder = makeHome();
  const traceFile = path.join(traceFolder, 'modules.txt');
  let result: Awaited<ReturnType<typeof runLlmo>>;
  let urls: string[];
  try {
    result = await runLlmo(args, {
      ...options,
      ...(home ? { home } : {}),
      env: { ...env, LLMO_TRACE_FILE: traceFile, NODE_OPTIONS: `--import=${tracer}` },
    });
    urls = readFileSync(traceFile, 'utf8').trim().split('\n');
  } finally {
    removeHome(traceFolder);
  }
  const packages = new Set<string>();
  /** Our own source files (repo-relative) bundled into the loaded chunks. */
  const sources = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    if (file.includes(`${path.sep}node_modules${path.sep}`)) {
      packages.add(packageOf(file));
      continue;
    }
    if (!file.startsWith(path.join(repoRoot, 'dist'))) continue;
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of map.sources) {
      if (source.includes('node_modules/')) packages.add(packageOf(source));
      else
        sources.add(
          path
            .relative(repoRoot, path.resolve(path.dirname(file), source))
            .split(path.sep)
            .join('/'),
        );
    }
  }
  return { result, packages: [...packages].sort(), sources: [...sources].sort() };
}

function packageOf(file: string): string {
  const after = file
    .split(/node_modules[\\/]/)
    .pop()!
    .split(/[\\/]/);
  return after[0]!.startsWith('@') ? `${after[0]}/${after[1]}` : after[0]!;
}
