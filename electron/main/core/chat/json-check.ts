/**
 * Checks a JSON-mode reply: does it parse (and if not, where it breaks), and with a schema format,
 * which parts violate the schema (ajv, each violation with its JSON pointer). Node's JSON.parse
 * message carries no position for many errors, so a small scanner finds it.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonCheck } from '@shared/domain';

export function checkJson(text: string, schema?: Record<string, unknown>): JsonCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { valid: false, parseError: locateJsonError(text) };
  }
  if (schema === undefined) return { valid: true };
  const violations = validateAgainst(schema, value);
  return violations.length === 0 ? { valid: true } : { valid: false, violations };
}

// ---------- schema validation ----------

const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
const validators = new Map<string, ValidateFunction | Error>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction | Error {
  const key = JSON.stringify(schema);
  let validator = validators.get(key);
  if (validator === undefined) {
    // Users paste schemas written for other drafts; validate with the keywords, not the meta-schema.
    const { $schema: _ignored, $id: _id, ...rest } = schema;
    try {
      validator = ajv.compile(rest);
    } catch (error) {
      validator = error instanceof Error ? error : new Error(String(error));
    }
    if (validators.size > 100) validators.clear();
    validators.set(key, validator);
  }
  return validator;
}

function validateAgainst(
  schema: Record<string, unknown>,
  value: unknown
): { path: string; message: string }[] {
  const validate = validatorFor(schema);
  if (validate instanceof Error) {
    return [{ path: '', message: `The schema itself is invalid: ${validate.message}` }];
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map(violation);
}

function violation(error: ErrorObject): { path: string; message: string } {
  const params = error.params as Record<string, unknown>;
  // Point at the property that is missing or unexpected rather than at its parent object.
  const child =
    error.keyword === 'required'
      ? params.missingProperty
      : error.keyword === 'additionalProperties'
        ? params.additionalProperty
        : undefined;
  const path =
    typeof child === 'string' ? `${error.instancePath}/${escapePointer(child)}` : error.instancePath;
  return { path, message: error.message ?? error.keyword };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

// ---------- locating a syntax error ----------

class JsonSyntax extends Error {
  constructor(
    message: string,
    readonly position: number
  ) {
    super(message);
  }
}

/** The first syntax error in text that JSON.parse refused, with its character offset. */
export function locateJsonError(text: string): { message: string; position?: number } {
  try {
    const scanner = new Scanner(text);
    scanner.document();
    return { message: 'Not valid JSON' };
  } catch (error) {
    if (error instanceof JsonSyntax) return { message: error.message, position: error.position };
    return { message: 'Not valid JSON (too deeply nested to locate the error)' };
  }
}

class Scanner {
  private i = 0;
  constructor(private readonly text: string) {}

  document(): void {
    this.ws();
    if (this.i >= this.text.length) this.fail('The reply is empty, not JSON');
    this.value();
    this.ws();
    if (this.i < this.text.length) this.fail('Unexpected text after the JSON value');
  }

  private fail(message: string): never {
    throw new JsonSyntax(message, this.i);
  }

  private unexpected(): never {
    if (this.i >= this.text.length) this.fail('Unexpected end of JSON: the reply looks cut off');
    this.fail(`Unexpected character ${JSON.stringify(this.text[this.i])}`);
  }

  private ws(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i] as string)) this.i += 1;
  }

  private value(): void {
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (c === word[0]) return this.literal(word);
    }
    this.unexpected();
  }

  private literal(word: string): void {
    for (const ch of word) {
      if (this.text[this.i] !== ch) this.unexpected();
      this.i += 1;
    }
  }

  private object(): void {
    this.i += 1;
    this.ws();
    if (this.text[this.i] === '}') {
      this.i += 1;
      return;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') {
        if (this.i >= this.text.length) this.unexpected();
        this.fail(`Expected a property name in double quotes, found ${JSON.stringify(this.text[this.i])}`);
      }
      this.string();
      this.ws();
      if (this.text[this.i] !== ':') {
        if (this.i >= this.text.length) this.unexpected();
        this.fail("Expected ':' after a property name");
      }
      this.i += 1;
      this.ws();
      this.value();
      this.ws();
      const c = this.text[this.i];
      if (c === ',') {
        this.i += 1;
        continue;
      }
      if (c === '}') {
        this.i += 1;
        return;
      }
      if (c === undefined) this.unexpected();
      this.fail("Expected ',' or '}' after a property value");
    }
  }

  private array(): void {
    this.i += 1;
    this.ws();
    if (this.text[this.i] === ']') {
      this.i += 1;
      return;
    }
    for (;;) {
      this.ws();
      this.value();
      this.ws();
      const c = this.text[this.i];
      if (c === ',') {
        this.i += 1;
        continue;
      }
      if (c === ']') {
        this.i += 1;
        return;
      }
      if (c === undefined) this.unexpected();
      this.fail("Expected ',' or ']' after an array element");
    }
  }

  private string(): void {
    this.i += 1;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.unexpected();
      if (c === '"') {
        this.i += 1;
        return;
      }
      if (c < ' ') this.fail('Unescaped control character in a string');
      if (c === '\\') {
        this.i += 1;
        const e = this.text[this.i];
        if (e === undefined) this.unexpected();
        if (e === 'u') {
          for (let k = 1; k <= 4; k += 1) {
            const h = this.text[this.i + k];
            if (h === undefined) {
              this.i += k;
              this.unexpected();
            }
            if (!/[0-9a-fA-F]/.test(h)) {
              this.i += k;
              this.fail('Bad \\u escape in a string');
            }
          }
          this.i += 4;
        } else if (!'"\\/bfnrt'.includes(e)) {
          this.fail('Bad escape in a string');
        }
      }
      this.i += 1;
    }
  }

  private number(): void {
    if (this.text[this.i] === '-') this.i += 1;
    if (this.text[this.i] === '0') this.i += 1;
    else this.digits();
    if (this.text[this.i] === '.') {
      this.i += 1;
      this.digits();
    }
    if (this.text[this.i] === 'e' || this.text[this.i] === 'E') {
      this.i += 1;
      if (this.text[this.i] === '+' || this.text[this.i] === '-') this.i += 1;
      this.digits();
    }
  }

  private digits(): void {
    const start = this.i;
    while (this.i < this.text.length && /[0-9]/.test(this.text[this.i] as string)) this.i += 1;
    if (this.i === start) this.unexpected();
  }
}
