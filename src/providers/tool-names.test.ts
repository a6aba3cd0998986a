import { describe, expect, it } from 'vitest';
import { createToolNameCodec } from './tool-names.js';

describe('createToolNameCodec', () => {
  it('encodes server.tool for vendors that refuse dots and decodes the reply back', () => {
    const codec = createToolNameCodec(['fs.read_file', 'get_weather']);
    expect(codec.encode('fs.read_file')).toBe('fs__read_file');
    expect(codec.encode('get_weather')).toBe('get_weather');
    expect(codec.decode('fs__read_file')).toBe('fs.read_file');
    expect(codec.decode('get_weather')).toBe('get_weather');
  });

  it('keeps two names apart that would encode alike', () => {
    const codec = createToolNameCodec(['a.b', 'a__b']);
    expect(codec.encode('a__b')).toBe('a__b');
    expect(codec.encode('a.b')).not.toBe('a__b');
    expect(codec.decode(codec.encode('a.b'))).toBe('a.b');
    expect(codec.decode('a__b')).toBe('a__b');
  });

  it('makes any name safe and short enough', () => {
    const long = `server.${'x'.repeat(100)}`;
    const codec = createToolNameCodec([long, 'weird name!']);
    expect(codec.encode(long)).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(codec.encode('weird name!')).toBe('weird_name_');
    expect(codec.decode(codec.encode(long))).toBe(long);
  });
});
