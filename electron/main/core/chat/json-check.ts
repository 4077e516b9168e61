/**
 * Checks a JSON-mode reply: does it parse (and if not, where it breaks), and with a schema format,
 * which parts violate the schema (ajv, each violation with its JSON pointer). Where it breaks
 * comes from shared/json-position.ts, since JSON.parse names no position for many errors.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonCheck } from '@shared/domain';
import { findJsonError } from '@shared/json-position';

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

/** The first syntax error in text that JSON.parse refused, with its character offset. */
export function locateJsonError(text: string): { message: string; position?: number } {
  const found = findJsonError(text);
  if (!found) return { message: 'Not valid JSON' };
  // A reply stopped by num_predict or the context limit ends mid-value: the common case, so say it.
  const cut = found.position >= text.length && text.trim() !== '';
  return {
    message: cut ? `${found.message}: the reply is cut off` : found.message,
    position: found.position
  };
}
