/**
 * Checks the text of a preset's JSON schema as the user types: it must parse (else the error and
 * its line, column and offset), be an object, and its common keywords must have the shapes JSON
 * Schema gives them. A full meta-schema check would need a validator that compiles code, which the
 * window's CSP forbids; Ollama itself reports anything subtler when the schema is used.
 */
import { findJsonError } from '@shared/json-position';

export type SchemaCheck =
  | { ok: true; schema: Record<string, unknown> }
  | { ok: false; message: string; position?: number; line?: number; column?: number };

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(path: string): string {
  return path === '' ? 'at the top' : `at ${path}`;
}

/** The first keyword with a wrong shape, in words, or null. */
export function schemaShapeProblem(schema: Record<string, unknown>, path = ''): string | null {
  const { type, properties, required, items, enum: enumValues } = schema;
  if (type !== undefined) {
    const list = Array.isArray(type) ? type : [type];
    const bad = list.find((t) => typeof t !== 'string' || !TYPES.includes(t));
    if (list.length === 0 || bad !== undefined) {
      return `"type" ${at(path)} must be one of ${TYPES.join(', ')} (or a list of them)`;
    }
  }
  if (properties !== undefined) {
    if (!isObject(properties)) return `"properties" ${at(path)} must be an object`;
    for (const [name, sub] of Object.entries(properties)) {
      const subPath = `${path}/properties/${name}`;
      if (typeof sub === 'boolean') continue;
      if (!isObject(sub)) return `The schema of "${name}" ${at(path)} must be an object`;
      const problem = schemaShapeProblem(sub, subPath);
      if (problem) return problem;
    }
  }
  if (required !== undefined) {
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) {
      return `"required" ${at(path)} must be a list of property names`;
    }
  }
  if (items !== undefined && typeof items !== 'boolean') {
    if (!isObject(items)) return `"items" ${at(path)} must be a schema object`;
    const problem = schemaShapeProblem(items, `${path}/items`);
    if (problem) return problem;
  }
  if (enumValues !== undefined && (!Array.isArray(enumValues) || enumValues.length === 0)) {
    return `"enum" ${at(path)} must be a non-empty list`;
  }
  return null;
}

export function checkSchemaText(text: string): SchemaCheck {
  if (text.trim() === '') return { ok: false, message: 'Enter a JSON schema, or choose another format.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const found = findJsonError(text);
    if (!found) return { ok: false, message: (error as Error).message };
    return {
      ok: false,
      message: `${found.message} (line ${found.line}, column ${found.column}, position ${found.position})`,
      position: found.position,
      line: found.line,
      column: found.column
    };
  }
  if (!isObject(value)) {
    const kind = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
    return { ok: false, message: `A schema must be a JSON object ({ … }), not ${kind}.` };
  }
  const problem = schemaShapeProblem(value);
  if (problem) return { ok: false, message: `${problem}.` };
  return { ok: true, schema: value };
}

/** What a new schema starts from: one required string, the shape most replies need. */
export const SCHEMA_TEMPLATE = `{
  "type": "object",
  "properties": {
    "answer": { "type": "string" }
  },
  "required": ["answer"]
}`;
