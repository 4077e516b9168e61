/**
 * Where JSON text first goes wrong. V8's JSON.parse names no position for many errors ("Unexpected
 * token 'x', … is not valid JSON"), so a small scanner walks the text the way the grammar does and
 * stops at the first character it cannot accept. Used only after JSON.parse has refused the text.
 */

export interface JsonErrorAt {
  message: string;
  /** 0-based offset into the text. */
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
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: position - lastBreak };
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
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop('Bad \\u escape', i);
          i += 6;
        } else if (next !== undefined && ESCAPES.has(next)) i += 2;
        else throw new Stop('Bad escape in a string', i);
      } else i++;
    }
  };

  const value = (): void => {
    skip();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
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
    if (!(error instanceof Stop)) throw error;
    return { message: error.message, position: error.position, ...lineAndColumn(text, error.position) };
  }
}
