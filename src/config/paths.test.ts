import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProjectFile, resolvePaths } from './paths.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'llmo-paths-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const folder = (...parts: string[]) => {
  const directory = path.join(root, ...parts);
  mkdirSync(directory, { recursive: true });
  return directory;
};

describe('findProjectFile', () => {
  it("finds the project's .llmo.yaml from a subfolder, up to the repository root", () => {
    const repository = folder('repo');
    mkdirSync(path.join(repository, '.git'));
    writeFileSync(path.join(repository, '.llmo.yaml'), 'main_llm: openai\n');
    const deep = folder('repo', 'src', 'cli');
    expect(findProjectFile(deep)).toBe(path.join(repository, '.llmo.yaml'));
    expect(resolvePaths({ LLMO_HOME: root }, deep).projectFile).toBe(path.join(repository, '.llmo.yaml'));
  });

  it('takes the nearest one', () => {
    writeFileSync(path.join(folder('repo'), '.llmo.yaml'), '');
    const inner = folder('repo', 'packages', 'app');
    writeFileSync(path.join(inner, '.llmo.yaml'), '');
    expect(findProjectFile(path.join(inner))).toBe(path.join(inner, '.llmo.yaml'));
  });

  it("does not look above the repository root into another project's folder", () => {
    writeFileSync(path.join(root, '.llmo.yaml'), '');
    const repository = folder('outer', 'repo');
    writeFileSync(path.join(repository, '.git'), 'gitdir: elsewhere\n'); // a worktree's .git is a file
    const deep = folder('outer', 'repo', 'src');
    expect(findProjectFile(deep)).toBe(path.join(deep, '.llmo.yaml'));
  });
});

describe('profiles', () => {
  it('put a profile under profiles/NAME of every folder, and the default where it always was', () => {
    const plain = resolvePaths({ LLMO_HOME: root }, root);
    const work = resolvePaths({ LLMO_HOME: root, LLMO_PROFILE: 'work' }, root);
    expect(resolvePaths({ LLMO_HOME: root, LLMO_PROFILE: 'default' }, root)).toEqual(plain);
    expect(work.profile).toBe('work');
    expect(work.vaultFile).toBe(path.join(root, 'profiles', 'work', 'vault.bin'));
    expect(work.conversationsDir).toBe(path.join(root, 'profiles', 'work', 'conversations'));
    expect(work.runtimeDir).toBe(path.join(root, 'profiles', 'work', 'run'));
    expect(work.templatesDir).toBe(path.join(root, 'profiles', 'work', 'templates'));
    const xdg = {
      HOME: root,
      XDG_CONFIG_HOME: path.join(root, 'c'),
      XDG_DATA_HOME: path.join(root, 'd'),
      XDG_RUNTIME_DIR: path.join(root, 'r'),
    };
    const xdgWork = resolvePaths({ ...xdg, LLMO_PROFILE: 'work' }, root);
    expect(xdgWork.userConfigFile).toBe(path.join(root, 'c', 'llmo', 'profiles', 'work', 'config.yaml'));
    expect(xdgWork.usageDir).toBe(path.join(root, 'd', 'llmo', 'profiles', 'work', 'usage'));
    expect(xdgWork.runtimeDir).toBe(path.join(root, 'r', 'llmo', 'profiles', 'work'));
    expect(xdgWork.profilesDir).toBe(path.join(root, 'c', 'llmo', 'profiles'));
  });

  it('refuse a name that is not one folder (exit 2)', () => {
    for (const name of ['../x', 'a/b', '.hidden', '-dash']) {
      expect(() => resolvePaths({ LLMO_HOME: root, LLMO_PROFILE: name }, root)).toThrow(`"${name}" is not a profile name`);
    }
  });
});
