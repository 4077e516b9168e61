/** A node's path as a JSONPath-style accessor: $.items[0].name, $["a key with spaces"]. */
export type JsonPath = (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(path: JsonPath): string {
  let out = '$';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** A JSON pointer (RFC 6901) in the form main reports schema violations: /items/0/name. */
export function pointerToPath(pointer: string): string {
  if (pointer === '' || pointer === '/') return '$';
  const parts = pointer
    .replace(/^\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
  return formatPath(parts);
}
