/**
 * What the harness accepts before it uses anything, as strict as the app's own edge: a Host header
 * naming our loopback port (so a page under another host name, DNS rebinding, gets nothing), and
 * WebSocket frames of the one shape the bridge sends. Everything else is refused, never thrown.
 */
import { z } from 'zod';
import type { RawData } from 'ws';

/** The largest frame the socket takes (a call with 16 images of 20 MB stays under it). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** The largest body of a tray route (`{"id": …}`). */
export const MAX_TRAY_BODY_BYTES = 64 * 1024;

/** The hosts a page of ours is served under: loopback names with our port. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).has(host.toLowerCase());
}

export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined || !origin.startsWith('http://')) return false;
  return hostAllowed(origin.slice('http://'.length), port);
}

const callFrameSchema = z
  .object({
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    name: z.string().max(200),
    input: z.unknown().optional()
  })
  .strict();
export type CallFrame = z.infer<typeof callFrameSchema>;

export type FrameCheck = { ok: true; frame: CallFrame } | { ok: false; id?: number; reason: string };

function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** A text frame holding `{id, name, input}`, or why not (with the id when one can be answered). */
export function parseCallFrame(data: RawData, isBinary: boolean): FrameCheck {
  if (isBinary) return { ok: false, reason: 'binary frame' };
  let raw: unknown;
  try {
    raw = JSON.parse(frameText(data));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = callFrameSchema.safeParse(raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  const answerable = Number.isSafeInteger(id) && (id as number) >= 0;
  const issue = parsed.error.issues[0];
  const reason = `not a call frame (${issue ? `${issue.path.join('.') || 'frame'}: ${issue.message}` : ''})`;
  return { ok: false, reason, ...(answerable ? { id: id as number } : {}) };
}

export const trayClickSchema = z.object({ id: z.string().min(1).max(200) }).strict();
