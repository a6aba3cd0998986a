/**
 * The vault file on disk. Every change runs under the lock and starts by re-reading the file,
 * so concurrent writers (other llmo processes) never lose each other's keys; every write is
 * atomic (atomic-write.ts). The file is 0600 in a 0700 directory.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { VaultEntries } from './entries.js';
import { sweepOrphans, writeFileAtomicSync } from '../fs/atomic-write.js';
import { withFileLock } from '../fs/file-lock.js';
import { NotARegularFile, readRegularFile } from '../fs/read-regular-file.js';
import { ensurePrivateDir } from './private-dir.js';
import type { Secret, SecretBytes } from './secret.js';
import { readEntries, replaceEntries, rewrapBytes, unwrapWithPassword, type PasswordWrap } from './vault-codec.js';
import { PREFIX_LENGTH } from './vault-format.js';
import { noVault } from './vault-errors.js';
import { AuthError, UsageError } from '../errors.js';

/** A vault of a thousand keys is about 200 KB; anything past this is not one. */
const MAX_VAULT_BYTES = 4 * 1024 * 1024;

export class VaultStore {
  constructor(readonly file: string) {}

  get lockPath(): string {
    return `${this.file}.lock`;
  }

  exists(): boolean {
    return existsSync(this.file);
  }

  /**
   * `vault.bin.providers`: the names the vault holds keys for, in clear (names, never keys), so
   * that a locked vault asks for its password only when it holds the key a command needs.
   */
  get namesFile(): string {
    return `${this.file}.providers`;
  }

  /** The names the vault holds keys for, or undefined when unknown (a vault older than the list). */
  listedNames(): string[] | undefined {
    try {
      const names: unknown = JSON.parse(readRegularFile(this.namesFile, 64 * 1024).toString('utf8'));
      return Array.isArray(names) && names.every((name) => typeof name === 'string') ? names : undefined;
    } catch {
      return undefined;
    }
  }

  private writeNames(entries: VaultEntries): void {
    try {
      sweepOrphans(this.namesFile);
      writeFileAtomicSync(this.namesFile, Buffer.from(`${JSON.stringify([...entries.keys()].sort())}\n`));
    } catch {
      // Only a convenience: without it a locked vault asks as before.
    }
  }

  read(): Buffer {
    try {
      return readRegularFile(this.file, MAX_VAULT_BYTES);
    } catch (error) {
      if (error instanceof NotARegularFile) {
        throw new AuthError(`cannot read the vault: ${error.message}`, {
          hint: 'vault.bin must be the file `llmo auth init` wrote; restore it from a backup, or move it away and run `llmo auth init`',
        });
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw noVault(this.file);
      // EACCES, EISDIR…: a clear line, not an internal error with a stack.
      throw new AuthError(`cannot read the vault ${this.file}: ${code ?? (error as Error).message}`, {
        hint: 'it must be a file you can read (chmod 600 it); restore it from a backup if it was replaced',
      });
    }
  }

  /** Writes a new vault; refuses to replace one that exists. */
  async create(bytes: Buffer): Promise<void> {
    ensurePrivateDir(path.dirname(this.file));
    await withFileLock(this.lockPath, () => {
      if (this.exists()) {
        // Another `llmo auth init` won the race: the same refusal (exit 2) as when it was there before.
        throw new UsageError(`a vault already exists at ${this.file}`, { hint: 'change its password with: llmo auth passwd' });
      }
      this.write(bytes);
      this.writeNames(new Map());
    });
  }

  /**
   * Reads the current keys under the lock, lets `change` edit them, and writes the result.
   * `change` returns false to leave the file untouched.
   */
  async update<T>(dataKey: SecretBytes, change: (entries: VaultEntries) => { write: boolean; result: T }): Promise<T> {
    ensurePrivateDir(path.dirname(this.file));
    return withFileLock(this.lockPath, () => {
      const current = this.read();
      const entries = readEntries(current, dataKey, this.file);
      const { write, result } = change(entries);
      if (write) this.write(replaceEntries(current, dataKey, entries, this.file));
      this.writeNames(entries);
      return result;
    });
  }

  /**
   * Re-wraps the data key under a new password; the payload's keys stay as they are. `opened` is
   * the file as it was when the caller's `password` opened it: when another `auth passwd` has
   * re-wrapped it since, the caller's password is checked again under the lock, so of two
   * concurrent changes only one succeeds and the other says why, instead of both reporting
   * success while only the last password works.
   */
  async rewrap(dataKey: SecretBytes, wrap: PasswordWrap, opened: { bytes: Buffer; password: Secret }): Promise<void> {
    ensurePrivateDir(path.dirname(this.file));
    await withFileLock(this.lockPath, async () => {
      const current = this.read();
      if (!current.subarray(0, PREFIX_LENGTH).equals(opened.bytes.subarray(0, PREFIX_LENGTH))) {
        const stillOpens = await unwrapWithPassword(current, opened.password, this.file).then(
          (key) => {
            key.dispose();
            return true;
          },
          () => false,
        );
        if (!stillOpens) {
          throw new AuthError(`the vault password was changed by another llmo while this one ran; nothing was changed`, {
            hint: 'run `llmo auth passwd` again with the password now in force',
          });
        }
      }
      this.write(rewrapBytes(current, dataKey, wrap, this.file));
    });
  }

  private write(bytes: Buffer): void {
    sweepOrphans(this.file);
    writeFileAtomicSync(this.file, bytes);
  }
}
