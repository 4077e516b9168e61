/**
 * POST /api/pull: the progress stream of images.go PullModel, with fake layer bytes. The model is
 * installed only after `success`; an unknown model fails after the 200 with an error line.
 */
import { isValidName, modelLayers, normalizeName } from './models';
import { checkFieldTypes } from './request-checks';
import type { Conn } from './reply-writer';
import { ReplyWriter } from './reply-writer';
import type { FakeModel } from './types';

export interface PullDeps {
  installed(name: string): FakeModel | undefined;
  pullable(name: string): FakeModel | undefined;
  install(m: FakeModel): void;
  chunkMs(): number;
}

const TICKS = 10;
const NOT_FOUND = 'pull model manifest: file does not exist';

export async function handlePull(body: Record<string, unknown>, conn: Conn, deps: PullDeps): Promise<void> {
  const w = new ReplyWriter(conn);
  const typeErr = checkFieldTypes(body, 'PullRequest', { model: 'string', name: 'string', stream: 'bool' });
  if (typeErr) return w.json(400, { error: typeErr });
  const raw =
    (typeof body['model'] === 'string' && body['model']) ||
    (typeof body['name'] === 'string' ? body['name'] : '');
  if (!isValidName(raw)) return w.json(400, { error: 'invalid model name' });
  const stream = body['stream'] !== false;
  const installed = deps.installed(raw);
  const source = installed ?? deps.pullable(raw);

  let last: Record<string, unknown> = {};
  const status = async (obj: Record<string, unknown>): Promise<void> => {
    last = obj;
    if (stream) await w.line(obj);
  };

  await status({ status: 'pulling manifest' });
  await conn.sleep(deps.chunkMs());
  if (conn.aborted) return;
  if (!source) {
    if (!stream) return w.json(500, { error: NOT_FOUND });
    await w.line({ error: NOT_FOUND });
    return w.endStream();
  }

  for (const layer of modelLayers(source)) {
    const line = {
      status: `pulling ${layer.digest.slice(0, 12)}`,
      digest: `sha256:${layer.digest}`,
      total: layer.size
    };
    // Blobs already on disk complete at once; new ones crawl in ~TICKS steps.
    const steps = installed
      ? [layer.size]
      : Array.from({ length: TICKS + 1 }, (_, i) => Math.round((layer.size * i) / TICKS));
    for (const completed of steps) {
      if (conn.aborted) return;
      await status(completed > 0 ? { ...line, completed } : line);
      await conn.sleep(deps.chunkMs());
    }
  }
  for (const s of ['verifying sha256 digest', 'writing manifest']) {
    if (conn.aborted) return;
    await status({ status: s });
    await conn.sleep(deps.chunkMs());
  }
  if (conn.aborted) return;
  // The manifest lands only now: before this, chat/show say 404 and tags do not list it.
  if (!installed) {
    deps.install({ ...source, name: normalizeName(source.name), modifiedAt: undefined });
  }
  await status({ status: 'success' });
  if (!stream) return w.json(200, last);
  await w.endStream();
}
