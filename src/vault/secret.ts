/**
 * Secrets (passwords, API keys) travel wrapped, so that a stray `console.log`, `util.inspect`,
 * `JSON.stringify`, template string or error message prints `[REDACTED]` instead of the value.
 * Only `reveal()` gives the value out, at the one place that must hand it on (an SDK, a KDF).
 */
import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/** Every way JavaScript turns an object into text prints `[REDACTED]`. */
abstract class Redacted {
  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export class Secret extends Redacted {
  readonly #value: string;

  constructor(value: string) {
    super();
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }
}

/**
 * A key held as bytes (the vault's data key, a derived key) that can be wiped. JS strings cannot
 * be overwritten, so raw key material stays in Buffers and is zeroed as soon as it is used.
 */
export class SecretBytes extends Redacted {
  #bytes: Buffer;

  constructor(bytes: Buffer) {
    super();
    this.#bytes = bytes;
  }

  /** The bytes themselves (not a copy): do not keep them past `dispose()`. */
  reveal(): Buffer {
    if (this.#bytes.length === 0) throw new Error('secret bytes used after dispose');
    return this.#bytes;
  }

  /** A copy the caller owns (and must zero). */
  copy(): Buffer {
    return Buffer.from(this.reveal());
  }

  dispose(): void {
    this.#bytes.fill(0);
    this.#bytes = Buffer.alloc(0);
  }

  get disposed(): boolean {
    return this.#bytes.length === 0;
  }
}

/** Overwrites buffers that held secret material. */
export function zero(...buffers: (Buffer | Uint8Array | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}
