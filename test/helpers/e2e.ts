/**
 * The set-up most end-to-end tests share: the fake providers for the file (reset before each test),
 * a throwaway LLMO_HOME (a fresh one for every test, or one for the whole file), a config.yaml in it,
 * and `run`, which starts the built llmo with the fakes' base URLs and a test key for every
 * provider. Call it at the top of a test file; it registers the hooks.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFakeProviders, type FakeProvider, type FakeProviders } from '../fake-providers/server.mjs';
import { makeHome, removeHome, runLlmo, TEST_KEYS, type RunOptions, type RunResult } from './run-llmo.js';

export interface E2eOptions {
  /** The fakes to start (default: all). */
  providers?: readonly FakeProvider[];
  /** Written as config.yaml into each home. */
  config?: string;
  /** 'each' (default): a fresh home for every test; 'file': one home for all. The fakes are reset before each test. */
  home?: 'each' | 'file';
}

export interface E2e {
  readonly fake: FakeProviders;
  readonly home: string;
  /** The fakes' base URLs and a test key for every provider, then `extra`. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  run(args: readonly string[], options?: Omit<RunOptions, 'home'>): Promise<RunResult>;
}

export function useE2e(options: E2eOptions = {}): E2e {
  let fake: FakeProviders | undefined;
  let home: string | undefined;
  const newHome = () => {
    const made = makeHome();
    if (options.config !== undefined) writeFileSync(path.join(made, 'config.yaml'), options.config);
    return made;
  };
  const perFile = options.home === 'file';
  beforeAll(async () => {
    fake = await startFakeProviders(options.providers ? { providers: options.providers } : {});
    if (perFile) home = newHome();
  });
  afterAll(async () => {
    await fake?.close();
    if (perFile && home) removeHome(home);
  });
  beforeEach(() => {
    fake?.reset();
    if (!perFile) home = newHome();
  });
  afterEach(() => {
    if (!perFile && home) removeHome(home);
  });
  const env = (extra: Record<string, string | undefined> = {}) => ({ ...fake!.env(), ...TEST_KEYS, ...extra });
  return {
    get fake() {
      return fake!;
    },
    get home() {
      return home!;
    },
    env,
    run: (args, runOptions = {}) => runLlmo(args, { ...runOptions, home: home!, env: env(runOptions.env) }),
  };
}
