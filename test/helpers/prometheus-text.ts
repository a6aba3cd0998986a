/**
 * A strict parser of Prometheus' text exposition format (0.0.4), written from the format's
 * specification (prometheus/docs, "Exposition formats": text format details) because no parser
 * package is installed. It throws on anything a scraper would reject:
 *   - a line is `# HELP name text`, `# TYPE name type`, another `#` comment, blank, or a sample;
 *   - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* and do not
 *     start with `__`; label values are double-quoted with only \\, \" and \n escaped;
 *   - a value is a Go float (NaN, +Inf, -Inf included), optionally followed by an int64 timestamp;
 *   - TYPE is one of counter, gauge, histogram, summary, untyped, at most once per metric and before
 *     its first sample; HELP at most once; a family's samples are not interleaved with another's;
 *   - no two samples share a name and label set; the text ends with a line feed.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

export function parseExposition(text: string): Exposition {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the text must end with a line feed');
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  const finished = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, index) => {
    const where = `line ${index + 1}: ${line}`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const match = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!match) return; // an ordinary comment
      const [, keyword, name, rest = ''] = match;
      if (!METRIC_NAME.test(name!)) throw new Error(`bad metric name in ${where}`);
      if (keyword === 'TYPE') {
        if (!TYPES.includes(rest)) throw new Error(`unknown type in ${where}`);
        if (types.has(name!)) throw new Error(`second TYPE for ${name} in ${where}`);
        if (samples.some((sample) => sample.name === name)) throw new Error(`TYPE after samples of ${name} in ${where}`);
        types.set(name!, rest);
      } else {
        if (help.has(name!)) throw new Error(`second HELP for ${name} in ${where}`);
        help.set(name!, rest);
      }
      return;
    }
    const sample = parseSample(line, where);
    if (current !== sample.name) {
      if (finished.has(sample.name)) throw new Error(`samples of ${sample.name} are interleaved with another metric's (${where})`);
      if (current) finished.add(current);
      current = sample.name;
    }
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) throw new Error(`duplicate series in ${where}`);
    seen.add(key);
    samples.push(sample);
  });
  return { types, help, samples };
}

function parseSample(line: string, where: string): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`bad metric name in ${where}`);
  const name = nameMatch[0];
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position += 1;
    while (line[position] !== '}') {
      const labelMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(position));
      if (!labelMatch || !LABEL_NAME.test(labelMatch[0]) || labelMatch[0].startsWith('__')) throw new Error(`bad label name in ${where}`);
      position += labelMatch[0].length;
      if (line.slice(position, position + 2) !== '="') throw new Error(`expected =" after a label name in ${where}`);
      position += 2;
      let value = '';
      for (;;) {
        const character = line[position];
        if (character === undefined) throw new Error(`unterminated label value in ${where}`);
        position += 1;
        if (character === '"') break;
        if (character === '\\') {
          const escaped = line[position];
          position += 1;
          if (escaped === '\\') value += '\\';
          else if (escaped === '"') value += '"';
          else if (escaped === 'n') value += '\n';
          else throw new Error(`bad escape in a label value in ${where}`);
        } else value += character;
      }
      if (labelMatch[0] in labels) throw new Error(`label ${labelMatch[0]} twice in ${where}`);
      labels[labelMatch[0]] = value;
      if (line[position] === ',') position += 1;
      else if (line[position] !== '}') throw new Error(`expected , or } in ${where}`);
    }
    position += 1;
  }
  const rest = line.slice(position);
  const valueMatch = /^[ \t]+(\S+)(?:[ \t]+(-?\d+))?[ \t]*$/.exec(rest);
  if (!valueMatch) throw new Error(`expected a value (and optionally a timestamp) in ${where}`);
  const raw = valueMatch[1]!;
  const value =
    raw === 'NaN' ? Number.NaN : raw === '+Inf' ? Number.POSITIVE_INFINITY : raw === '-Inf' ? Number.NEGATIVE_INFINITY : Number(raw);
  if (!/^(NaN|[+-]Inf|[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/.test(raw) || (Number.isNaN(value) && raw !== 'NaN')) {
    throw new Error(`bad value in ${where}`);
  }
  return { name, labels, value };
}
