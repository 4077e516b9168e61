/**
 * Depth and size limits for free-form JSON that crosses IPC or comes from a file (a `format` JSON
 * schema, a recorded request body). zod's `z.unknown()` and `z.record()` check neither, and a value
 * nested thousands deep later overflows the stack of `JSON.stringify`, ajv or the renderer. The walk
 * here is iterative, stops at the first excess, and also refuses what JSON cannot hold (so a cycle,
 * a Map or a bigint is refused too).
 */
import type { z } from 'zod';

export interface JsonBounds {
  /** Nesting levels of objects and arrays (the top value is level 1). */
  maxDepth: number;
  /** About the length of the value as JSON text. */
  maxChars: number;
}

/** A JSON schema for structured outputs: real ones are a few levels deep and a few KB. */
export const FORMAT_BOUNDS: JsonBounds = { maxDepth: 64, maxChars: 256_000 };

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The first way `value` breaks the bounds, in words, or null when it is JSON within them. */
export function jsonBoundsProblem(value: unknown, bounds: JsonBounds): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let chars = 0;
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop()!;
    if (item === null || typeof item === 'boolean') chars += 5;
    else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'holds a number JSON cannot represent';
      chars += 24;
    } else if (typeof item === 'string') chars += item.length + 2;
    else if (typeof item === 'object') {
      if (depth + 1 > bounds.maxDepth) return `is nested deeper than ${bounds.maxDepth} levels`;
      if (Array.isArray(item)) {
        chars += 2 + item.length;
        if (chars > bounds.maxChars) break;
        for (const element of item) stack.push({ value: element, depth: depth + 1 });
      } else {
        if (!isPlainObject(item)) return 'holds a value JSON cannot represent';
        chars += 2;
        for (const [key, element] of Object.entries(item)) {
          chars += key.length + 4;
          stack.push({ value: element, depth: depth + 1 });
        }
      }
    } else return 'holds a value JSON cannot represent';
    if (chars > bounds.maxChars) break;
  }
  return chars > bounds.maxChars ? `is larger than ${bounds.maxChars.toLocaleString('en')} characters` : null;
}

/** `schema`, refused with an issue when the parsed value breaks the bounds. */
export function bounded<T extends z.ZodType>(schema: T, bounds: JsonBounds, what: string) {
  return schema.superRefine((value, ctx) => {
    const problem = jsonBoundsProblem(value, bounds);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `${what} ${problem}` });
  });
}
