/**
 * The schema editor's live check: JSON errors carry the offset, line and column where the text first
 * goes wrong (V8 names no position for many of them), a schema must be an object, and the common
 * keywords must have their JSON Schema shapes.
 */
import { describe, expect, it } from 'vitest';
import { findJsonError, lineAndColumn } from '../../../shared/json-position';
import { checkSchemaText, SCHEMA_TEMPLATE } from '../../../renderer/src/components/presets/schema-check';

describe('findJsonError', () => {
  it('returns null for every kind of valid JSON', () => {
    for (const text of [
      '{}',
      ' [ ] ',
      '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9\\"", {"b": {}}]}',
      '"only a string"',
      '0',
      '\n{\n  "k": "v"\n}\n'
    ]) {
      expect(findJsonError(text), text).toBeNull();
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it('points at the first character the grammar cannot accept', () => {
    const cases: [string, number, RegExp][] = [
      ['{"a": x}', 6, /Expected a value but found "x"/],
      ['{"a" 1}', 5, /Expected ':'/],
      ['{"a": 1,}', 8, /Expected a property name in double quotes but found "}"/],
      ["{'a': 1}", 1, /property name in double quotes/],
      ['[1 2]', 3, /Expected ',' or '\]'/],
      ['{"a": 1} x', 9, /Unexpected "x" after the JSON value/],
      ['{"a": "b', 8, /Unterminated string/],
      // An escape error points at the character after the backslash that cannot be accepted.
      ['{"a": "\\q"}', 8, /Bad escape/],
      ['{"a": "\\u12"}', 11, /Bad \\u escape/],
      ['{"a": 01}', 7, /Expected ',' or '}' but found "1"/],
      ['', 0, /Expected a value but found end of text/],
      ['{"a": -}', 6, /Expected a value/]
    ];
    for (const [text, position, message] of cases) {
      const found = findJsonError(text);
      expect(found, text).not.toBeNull();
      expect(found!.position, text).toBe(position);
      expect(found!.message, text).toMatch(message);
      // Whatever we call an error, JSON.parse refuses too.
      expect(() => JSON.parse(text), text).toThrow();
    }
  });

  it('rejects a raw line break inside a string, as JSON.parse does', () => {
    const text = '{"a": "one\ntwo"}';
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonError(text)).toMatchObject({ position: 10, line: 1, column: 11 });
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    const found = findJsonError('{\n  "a": 1,\n  "b" 2\n}');
    expect(found).toMatchObject({ line: 3, column: 7 });
  });
});

describe('checkSchemaText', () => {
  it('accepts the template and returns the object', () => {
    const check = checkSchemaText(SCHEMA_TEMPLATE);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.schema).toEqual(JSON.parse(SCHEMA_TEMPLATE));
  });

  it('reports a parse error with its line, column and position in the message', () => {
    const check = checkSchemaText('{\n  "type": "object",\n  "properties": {\n}');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.position).toBe(41);
    expect(check.line).toBe(4);
    expect(check.message).toMatch(/line 4, column 2, position 41/);
  });

  it('requires an object', () => {
    expect(checkSchemaText('[]')).toMatchObject({ ok: false, message: expect.stringMatching(/not a list/) });
    expect(checkSchemaText('"json"')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a string/)
    });
    expect(checkSchemaText('null')).toMatchObject({ ok: false, message: expect.stringMatching(/not null/) });
    expect(checkSchemaText('   ')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Enter a JSON schema/)
    });
  });

  it('names a keyword with the wrong shape, with its path', () => {
    expect(checkSchemaText('{"type": "obj"}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/"type" at the top must be one of/)
    });
    expect(checkSchemaText('{"type":"object","properties":{"age":{"type":"int"}}}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/at \/properties\/age/)
    });
    expect(checkSchemaText('{"properties": []}')).toMatchObject({ ok: false });
    expect(checkSchemaText('{"required": "name"}')).toMatchObject({ ok: false });
    expect(checkSchemaText('{"type":"array","items":{"type":["string",5]}}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/\/items/)
    });
    expect(checkSchemaText('{"enum": []}')).toMatchObject({ ok: false });
    expect(checkSchemaText('{"type":["string","null"],"properties":{"x":true}}').ok).toBe(true);
  });
});
