/**
 * `-p KEY VALUE` takes two words, which commander cannot express: before parsing, each pair
 * becomes `--param KEY=VALUE`. `-p KEY=VALUE` is left as it is. Nothing after `--` is touched.
 */
export function joinParamPairs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index]!;
    if (word === '--') return [...out, ...argv.slice(index)];
    const next = argv[index + 1];
    if ((word === '-p' || word === '--param') && next !== undefined && !next.includes('=') && index + 2 < argv.length) {
      out.push('--param', `${next}=${argv[index + 2]}`);
      index += 2;
    } else {
      out.push(word);
    }
  }
  return out;
}
