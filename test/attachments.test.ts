/**
 * `llmo ask -a`: images and PDFs reach each vendor in the shape its recordings show, through the
 * real SDKs against the fake providers; what a model cannot read, or a vendor cannot take, is
 * refused before any request.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeProvider, FakeProviders } from './fake-providers/server.mjs';
import { useE2e } from './helpers/e2e.js';

const KEYS = {
  OPENAI_API_KEY: 'sk-test-openai-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdef',
  GEMINI_API_KEY: 'AIza-test-0123456789abcdef',
  MISTRAL_API_KEY: 'mistral-test-0123456789abcdef',
  DEEPSEEK_API_KEY: 'sk-test-deepseek-0123456789abcdef',
};

const recordings = path.resolve(import.meta.dirname, 'fake-providers/recordings');
const recordedBody = (name: string) => JSON.parse(readFileSync(path.join(recordings, `${name}.meta.json`), 'utf8')).request.body;
/** The user turn's parts, as the vendor's wire spells them. */
interface WireBody {
  contents?: { parts: unknown }[];
  messages?: { content: unknown }[];
}
interface WirePart {
  [key: string]: unknown;
  text?: string;
}
const userParts = (provider: FakeProvider, body: WireBody): WirePart[] =>
  shortened(provider === 'gemini' ? body.contents?.at(-1)?.parts : body.messages?.at(-1)?.content) as WirePart[];
/** Long base64 strings as their length and ends, so a mismatch reads in a line. */
const shortened = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, text) =>
      typeof text === 'string' && text.length > 120 ? `${text.slice(0, 60)}…${text.slice(-20)} (${text.length})` : text,
    ),
  );

const e2e = useE2e({ home: 'file' });
// The tests read this file's fakes and home by these names.
let fake: FakeProviders;
let home: string;
let image: string;
let pdf: string;

beforeAll(async () => {
  ({ fake, home } = e2e);
  // The very bytes the recordings sent.
  image = path.join(home, 'image.png');
  writeFileSync(image, Buffer.from(recordedBody('anthropic/nonstream_image_base64').messages[0].content[1].source.data, 'base64'));
  pdf = path.join(home, 'document.pdf');
  writeFileSync(pdf, Buffer.from(recordedBody('anthropic/nonstream_document_pdf_base64').messages[0].content[1].source.data, 'base64'));
});

const ask = (args: string[], input?: string) =>
  e2e.run(['ask', '--no-save', '--no-stream', ...args], {
    env: KEYS,
    ...(input === undefined ? {} : { input }),
  });

const CASES: { provider: FakeProvider; ref: string; image: string; pdf?: string }[] = [
  {
    provider: 'anthropic',
    ref: 'anthropic:claude-haiku-4-5',
    image: 'anthropic/nonstream_image_base64',
    pdf: 'anthropic/nonstream_document_pdf_base64',
  },
  { provider: 'openai', ref: 'openai:gpt-4o-mini', image: 'openai/nonstream_image_base64', pdf: 'openai/nonstream_pdf_file' },
  {
    provider: 'gemini',
    ref: 'gemini:gemini-2.5-flash',
    image: 'gemini/generateContent_image_inlineData',
    pdf: 'gemini/generateContent_pdf_inlineData',
  },
  { provider: 'mistral', ref: 'mistral:mistral-small-latest', image: 'mistral/nonstream_image_base64' },
];

describe.each(CASES)('ask -m $ref -a', ({ provider, ref, image: imageCase, pdf: pdfCase }) => {
  it('sends image.png as the image recording does', async () => {
    const recorded = userParts(provider, recordedBody(imageCase));
    const prompt = recorded[0]?.text ?? '';
    const result = await ask(['-m', ref, '-a', image, prompt]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sent = userParts(provider, fake.requestsFor(provider)[0]?.body);
    if (provider === 'openai') {
      // The recording spelled out OpenAI's default detail ("auto"); llmo leaves it to the default.
      delete (recorded[1]!.image_url as { detail?: string }).detail;
    }
    if (provider === 'mistral') {
      // Mistral's recording sent another picture: the same shape, with this file's bytes.
      recorded[1]!.image_url = shortened(`data:image/png;base64,${readFileSync(image).toString('base64')}`);
    }
    expect(sent).toEqual(recorded);
  });

  it('sends document.pdf as the PDF recording does', async () => {
    const result = await ask(['-m', ref, '-a', pdf, 'What text is in this PDF document? Reply in one short sentence.']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sent = userParts(provider, fake.requestsFor(provider)[0]?.body);
    if (pdfCase) {
      const recorded = userParts(provider, recordedBody(pdfCase));
      // Anthropic's document block takes a title: llmo names the file, the recording named none.
      if (provider === 'anthropic') recorded[1]!.title = 'document.pdf';
      expect(sent).toEqual(recorded);
    } else {
      // Mistral has no PDF recording: the adapter's document_url with a data URL.
      const data = readFileSync(pdf).toString('base64');
      expect(sent).toEqual(
        shortened([
          { type: 'text', text: 'What text is in this PDF document? Reply in one short sentence.' },
          { type: 'document_url', document_url: `data:application/pdf;base64,${data}`, document_name: 'document.pdf' },
        ]),
      );
    }
  });
});

describe('ask -a refusals', () => {
  it('refuses an image to a text-only model before any request, naming one that can read it', async () => {
    const result = await ask(['-m', 'deepseek', '-a', image, 'Describe this']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/deepseek:deepseek-chat cannot read images.*-m \S+:\S+/);
    expect(fake.requests).toEqual([]);
  });

  it('knows the file by its bytes, not its name', async () => {
    const renamed = path.join(home, 'photo.pdf');
    writeFileSync(renamed, readFileSync(image));
    const result = await ask(['-m', 'anthropic:claude-haiku-4-5', '-a', renamed, 'Describe this']);
    expect(result.code).toBe(0);
    const [, part] = userParts('anthropic', fake.requestsFor('anthropic')[0]?.body);
    expect(part).toMatchObject({ type: 'image', source: { media_type: 'image/png' } });
  });

  it('refuses a file that is neither an image nor a PDF (exit 2)', async () => {
    const text = path.join(home, 'notes.png');
    writeFileSync(text, 'just some text\n');
    const result = await ask(['-m', 'anthropic:claude-haiku-4-5', '-a', text, 'Describe this']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not a png, jpeg, webp, gif or PDF file');
    expect(fake.requests).toEqual([]);
  });

  it("refuses an image over the vendor's limit before any request (Anthropic: 5 MiB of base64)", async () => {
    const big = path.join(home, 'big.png');
    writeFileSync(big, Buffer.concat([readFileSync(image), Buffer.alloc(4 * 1024 * 1024)]));
    const result = await ask(['-m', 'anthropic:claude-haiku-4-5', '-a', big, 'Describe this']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/over the 3\.9 MB anthropic:claude-haiku-4-5 takes per image; nothing was sent/);
    expect(fake.requests).toEqual([]);
  });

  it('says so when -a - finds nothing on stdin', async () => {
    const result = await e2e.run(['ask', '--no-save', '--no-stream', '-m', 'gemini:gemini-2.5-flash', '-a', '-', 'Describe this'], {
      env: KEYS,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('-a -: stdin is empty');
  });
});
