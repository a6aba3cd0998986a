import { describe, expect, it } from 'vitest';
import { parseExposition } from './prometheus-text.js';

describe('parseExposition (the test parser itself)', () => {
  it('accepts the specification example and rejects what scrapers reject', () => {
    const good =
      '# HELP http_requests_total The total.\n# TYPE http_requests_total counter\nhttp_requests_total{method="post",code="200"} 1027 1395066363000\nhttp_requests_total{method="post",code="400"}    3 1395066363000\nmetric_without_timestamp_and_labels 12.47\nsomething_weird{problem="division by zero"} +Inf -3982045\nmsdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9\n';
    const parsed = parseExposition(good);
    expect(parsed.samples).toHaveLength(5);
    expect(parsed.samples[4]!.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    for (const bad of [
      'a 1',
      'a{b="c} 1\n',
      'a{b="\\x"} 1\n',
      '1a 1\n',
      'a one\n',
      'a 1\na 1\n',
      'a 1\nb 1\na 2\n',
      '# TYPE a counter\n# TYPE a gauge\n',
      '# TYPE a widget\n',
      'a{__b="c"} 1\n',
    ]) {
      expect(() => parseExposition(bad), bad).toThrow();
    }
  });
});
