/**
 * Where JSON text first goes wrong. JSON.parse names no position for many errors ("Unexpected token
 * 'x', … is not valid JSON"), so a small scanner walks the text the way the grammar does and stops at
 * the first character it cannot accept. Used after JSON.parse has refused a text: by main for JSON-mode
 * replies, by the renderer's JSON view and by the schema editor.
 */

export interface JsonErrorAt {
  message: string;
  /** 0-based offset into the text: the first character that cannot be accepted (its length when cut). */
  position: number;
  /** 1-based line and column of that offset. */
  line: number;
  column: number;
}

class Stop extends Error {
  constructor(
    message: string,
    readonly position: number
  ) {
    super(message);
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /[0-9a-fA-F]/;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(position, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** The first syntax error in `text` with its position, or null when it is valid JSON. */
export function findJsonError(text: string): JsonErrorAt | null {
  let i = 0;

  const describe = (at: number) => (at >= text.length ? 'end of text' : JSON.stringify(text[at]));
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const fail = (expected: string): never => {
    throw new Stop(`Expected ${expected} but found ${describe(i)}`, i);
  };

  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) throw new Stop('Unterminated string', i);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') throw new Stop('Control character in a string (use \\n, \\t…)', i);
      if (c !== '\\') {
        i++;
        continue;
      }
      i++; // the backslash; an error points at what follows it
      const next = text[i];
      if (next === 'u') {
        for (let k = 1; k <= 4; k++) {
          if (!HEX.test(text[i + k] ?? '')) throw new Stop('Bad \\u escape: four hex digits expected', i + k);
        }
        i += 5;
      } else if (next !== undefined && ESCAPES.has(next)) i++;
      else throw new Stop('Bad escape in a string', i);
    }
  };

  // A word that is wrong ("nope") is an error at its start; one cut short ("tru") at the end of text.
  const literal = (word: string) => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return;
    }
    const rest = text.slice(i);
    if (word.startsWith(rest)) {
      i = text.length;
      fail(word);
    }
    fail('a value');
  };

  const value = (): void => {
    skip();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (match && match[0] !== '-') {
      i += match[0].length;
      return;
    }
    fail('a value');
  };

  const object = () => {
    i++;
    skip();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skip();
      if (text[i] !== '"') fail('a property name in double quotes');
      string();
      skip();
      if (text[i] !== ':') fail("':'");
      i++;
      value();
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail("',' or '}'");
    }
  };

  const array = () => {
    i++;
    skip();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail("',' or ']'");
    }
  };

  try {
    value();
    skip();
    if (i < text.length) throw new Stop(`Unexpected ${describe(i)} after the JSON value`, i);
    return null;
  } catch (error) {
    // Nesting deeper than the stack: JSON.parse refused it too; no position to give.
    const stop =
      error instanceof Stop
        ? error
        : new Stop('Too deeply nested to locate the error', Math.min(i, text.length));
    return { message: stop.message, position: stop.position, ...lineAndColumn(text, stop.position) };
  }
}
