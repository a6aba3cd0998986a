/**
 * The bytes at an http(s) URL, for `-a URL` and `-f URL`. Other schemes (file:, data:, ftp:) are
 * refused: a URL argument is for pages and files on the web, local files are named by their path.
 */
import { UsageError } from '../errors.js';

/** True when the argument is meant as a URL rather than a path. */
export function looksLikeUrl(argument: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(argument);
}

export async function fetchUrl(url: string, flag: string, limitBytes: number): Promise<{ bytes: Buffer; contentType: string | undefined }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${flag} ${url}: not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${flag} ${url}: only http and https URLs are fetched`, { hint: 'name a local file by its path' });
  }
  let response: Response;
  try {
    response = await fetch(parsed, { redirect: 'follow', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new UsageError(`${flag} ${url}: could not fetch it (${(error as Error).message})`);
  }
  if (!response.ok) throw new UsageError(`${flag} ${url}: the server answered ${response.status} ${response.statusText}`.trim());
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > limitBytes) {
    throw new UsageError(`${flag} ${url}: ${bytes.length} bytes, more than the ${limitBytes} llmo fetches`);
  }
  return { bytes, contentType: response.headers.get('content-type') ?? undefined };
}
