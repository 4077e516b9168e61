import { describe, expect, it } from 'vitest';
import { checkJson, locateJsonError } from '../../../electron/main/core/chat/json-check';

describe('checkJson', () => {
  it('accepts valid JSON without a schema', () => {
    expect(checkJson(' {"a": [1, 2.5e3, -0.1, true, null, "x\\u00e9\\n"]}\n')).toEqual({ valid: true });
  });

  it('gives the position where truncated JSON ends', () => {
    const text = '{"name": "Ada", "langs": ["en", "fr"';
    const check = checkJson(text);
    expect(check.valid).toBe(false);
    expect(check.parseError?.position).toBe(text.length);
    expect(check.parseError?.message).toMatch(/cut off/);
  });

  it('points at the offending character', () => {
    expect(locateJsonError('{"a": 1,}')).toMatchObject({ position: 8 });
    expect(locateJsonError('{"a" 1}')).toMatchObject({ position: 5 });
    expect(locateJsonError("{'a': 1}")).toMatchObject({ position: 1 });
    expect(locateJsonError('[1, 2] extra')).toMatchObject({ position: 7 });
    expect(locateJsonError('{"a": tru}')).toMatchObject({ position: 6 });
    expect(locateJsonError('{"a": tru')).toMatchObject({ position: 9, message: /cut off/ });
    expect(locateJsonError('"bad \\x escape"')).toMatchObject({ position: 6 });
    expect(locateJsonError('"line\nbreak"')).toMatchObject({ position: 5 });
    expect(locateJsonError('   ')).toMatchObject({ position: 3 });
    expect(locateJsonError('Sure! Here is the JSON: {}')).toMatchObject({ position: 0 });
    expect(locateJsonError('{"n": 01}')).toMatchObject({ position: 7 });
  });

  it('lists each schema violation with its JSON pointer', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer', minimum: 0 },
        tags: { type: 'array', items: { type: 'string' } }
      },
      required: ['name', 'age'],
      additionalProperties: false
    };
    expect(checkJson('{"name":"Ada","age":36,"tags":["x"]}', schema)).toEqual({ valid: true });
    const check = checkJson('{"age":-1,"tags":["x",2],"extra/key":true}', schema);
    expect(check.valid).toBe(false);
    const paths = (check.violations ?? []).map((v) => v.path).sort();
    expect(paths).toEqual(['/age', '/extra~1key', '/name', '/tags/1']);
    expect(check.violations?.find((v) => v.path === '/age')?.message).toMatch(/>= 0/);
  });

  it('reports a parse error rather than violations when the text is not JSON', () => {
    const check = checkJson('{"name": "Ada"', { type: 'object' });
    expect(check.parseError?.position).toBe(14);
    expect(check.violations).toBeUndefined();
  });

  it('reports an invalid schema as a violation instead of throwing', () => {
    const check = checkJson('{}', { type: 'no-such-type' });
    expect(check.valid).toBe(false);
    expect(check.violations?.[0]?.message).toMatch(/schema/);
  });
});
