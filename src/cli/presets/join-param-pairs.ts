/** The commands whose `-p` is a template variable. */
const TEMPLATE_COMMANDS = ['ask', 'chat'];

/**
 * `-p KEY VALUE` takes two words, which commander cannot express: before parsing, each pair
 * becomes `--param KEY=VALUE`. `-p KEY=VALUE` is left as it is. Only for `ask` and `chat` (after
 * the program's `--profile NAME`, if any); nothing after `--` is touched.
 */
export function joinParamPairs(argv: readonly string[]): string[] {
  const start = argv[0] === '--profile' ? 2 : argv[0]?.startsWith('--profile=') ? 1 : 0;
  if (!TEMPLATE_COMMANDS.includes(argv[start] ?? '')) return [...argv];
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
