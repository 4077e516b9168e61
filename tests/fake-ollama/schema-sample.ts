/**
 * Builds a deterministic JSON value that fits a (simple) JSON schema, standing in for the model's
 * grammar-constrained answer: objects with their required properties, strings, numbers, integers,
 * booleans, arrays, enums/consts, anyOf/oneOf/allOf (first branch) and local $refs.
 */

type Schema = Record<string, unknown>;

function asSchema(v: unknown): Schema {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : {};
}

function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#/')) return {};
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = asSchema(node)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return asSchema(node);
}

function firstType(schema: Schema): string | undefined {
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t.find((x) => x !== 'null') ?? t[0]) as string | undefined;
  if (schema['properties']) return 'object';
  if (schema['items']) return 'array';
  return undefined;
}

function sample(schema: Schema, root: Schema, key: string, depth: number): unknown {
  if (depth > 12) return null;
  if (typeof schema['$ref'] === 'string')
    return sample(resolveRef(schema['$ref'], root), root, key, depth + 1);
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  for (const combo of ['anyOf', 'oneOf', 'allOf']) {
    const branches = schema[combo];
    if (Array.isArray(branches) && branches.length > 0) {
      const pick = branches.map(asSchema).find((b) => b['type'] !== 'null') ?? asSchema(branches[0]);
      return sample({ ...schema, [combo]: undefined, ...pick }, root, key, depth + 1);
    }
  }
  switch (firstType(schema)) {
    case 'object': {
      const props = asSchema(schema['properties']);
      const required = Array.isArray(schema['required'])
        ? (schema['required'] as unknown[]).filter((k): k is string => typeof k === 'string')
        : Object.keys(props);
      const out: Record<string, unknown> = {};
      for (const name of required) out[name] = sample(asSchema(props[name]), root, name, depth + 1);
      return out;
    }
    case 'array': {
      const min = typeof schema['minItems'] === 'number' ? schema['minItems'] : 1;
      const count = Math.max(
        min,
        Math.min(1, typeof schema['maxItems'] === 'number' ? schema['maxItems'] : 1)
      );
      return Array.from({ length: count }, () => sample(asSchema(schema['items']), root, key, depth + 1));
    }
    case 'string': {
      if (schema['format'] === 'date-time') return '2025-01-01T00:00:00Z';
      if (schema['format'] === 'date') return '2025-01-01';
      if (schema['format'] === 'email') return 'user@example.com';
      const base = key ? `${key} value` : 'text';
      const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
      const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
      return base.padEnd(min, 'x').slice(0, max);
    }
    case 'integer':
    case 'number': {
      const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : undefined;
      const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined;
      let n = 42;
      if (min !== undefined && n < min) n = min;
      if (max !== undefined && n > max) n = max;
      return firstType(schema) === 'integer' ? Math.ceil(n) : n;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return key ? `${key} value` : 'text';
  }
}

export function sampleForSchema(schema: Schema): unknown {
  return sample(schema, schema, '', 0);
}
