import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../config/catalog.js';
import { packageRoot } from '../config/paths.js';
import { parseYaml } from '../config/yaml-file.js';
import { ConfigError, ExitCode } from '../errors.js';
import type { ModelRequest } from '../providers/spec.js';
import { checkContentParts } from './check-content-parts.js';

const catalog = buildCatalog([parseYaml('models.yaml', readFileSync(`${packageRoot()}/models.yaml`, 'utf8'))]);
const bytes = { type: 'bytes', data: new Uint8Array([1, 2, 3]) } as const;
const withImage: ModelRequest = {
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', mediaType: 'image/png', source: bytes },
      ],
    },
  ],
};
const withPdf: ModelRequest = {
  messages: [
    {
      role: 'user',
      content: [{ type: 'document', mediaType: 'application/pdf', source: { type: 'url', url: 'https://example.com/a.pdf' } }],
    },
  ],
};

describe('checkContentParts', () => {
  it('lets images and PDFs through to models that read them, and plain text to any model', () => {
    expect(() => checkContentParts(withImage, { provider: 'anthropic', modelId: 'claude-haiku-4-5' }, catalog)).not.toThrow();
    expect(() => checkContentParts(withPdf, { provider: 'gemini', modelId: 'gemini-2.5-flash' }, catalog)).not.toThrow();
    const text: ModelRequest = { messages: [{ role: 'user', content: 'hi' }] };
    expect(() => checkContentParts(text, { provider: 'deepseek', modelId: 'deepseek-chat' }, catalog)).not.toThrow();
  });

  it('refuses an image for a model without vision (exit 3), naming one that has it', () => {
    let error: unknown;
    try {
      checkContentParts(withImage, { provider: 'deepseek', modelId: 'deepseek-chat' }, catalog);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.config);
    expect((error as ConfigError).message).toBe(
      'deepseek:deepseek-chat cannot read images (it has no `vision` capability in models.yaml); use one that can, e.g. -m anthropic:claude-sonnet-5-5',
    );
  });

  it("refuses a PDF for a model without pdf, preferring the same provider's models", () => {
    expect(() => checkContentParts(withPdf, { provider: 'mistral', modelId: 'codestral-latest' }, catalog)).toThrow(
      /^mistral:codestral-latest cannot read PDF documents .*e\.g\. -m mistral:mistral-medium-latest$/,
    );
  });
});
