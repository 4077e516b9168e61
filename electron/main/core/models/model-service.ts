/**
 * Installed models of a server: list (with capabilities), details, pull with progress, cancel, delete
 * (ollama-api.md §5). Capabilities come from /api/tags on recent servers; older ones need one /api/show
 * per model, cached by digest because a digest names the exact model content. A real server's tags
 * leave out `thinking` and `tools` for models that run on their own template (real-ollama.md D9) and
 * never say which models share a weights blob (D8), so every model is checked once with /api/show
 * too: the capability lists are merged and its FROM line gives the weights.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@shared/errors';
import type { InstalledModel, ModelDetails, ModelShow, PullProgress } from '@shared/domain';
import { systemClock, type Clock } from '../ports';
import type { ClientLike, ShowReply, TagsEntry } from './client-like';
import { toAppError } from './to-app-error';
import { normalizeModelName, sameModel } from '@shared/model-name';
import { RateMeter } from './rate-meter';

export interface ModelServiceDeps {
  clientFor(profileId: string): Promise<ClientLike>;
  clock?: Clock;
  newId?: () => string;
  /** /api/show calls at once when filling in capabilities for an old server. */
  showConcurrency?: number;
}

interface ActivePull {
  controller: AbortController;
  done: Promise<void>;
}

function pickDetails(d: ModelDetails | undefined): ModelDetails {
  const out: ModelDetails = {};
  if (!d) return out;
  if (d.format !== undefined) out.format = d.format;
  if (d.family !== undefined) out.family = d.family;
  if (d.families !== undefined) out.families = d.families;
  if (d.parameter_size !== undefined) out.parameter_size = d.parameter_size;
  if (d.quantization_level !== undefined) out.quantization_level = d.quantization_level;
  if (d.context_length !== undefined) out.context_length = d.context_length;
  return out;
}

/** The context length sits at "<general.architecture>.context_length" in model_info. */
export function contextLengthOf(modelInfo: Record<string, unknown> | undefined): number | undefined {
  if (!modelInfo) return undefined;
  const arch = modelInfo['general.architecture'];
  if (typeof arch !== 'string' || arch === '') return undefined;
  const value = modelInfo[`${arch}.context_length`];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The sha256 of the weights blob in a modelfile's `FROM …/blobs/sha256-…` line. */
export function weightsOf(modelfile: string | undefined): string | undefined {
  return /^FROM\s+\S*sha256[-:]([0-9a-f]{64})\s*$/m.exec(modelfile ?? '')?.[1];
}

function mergeCapabilities(fromTags: string[] | undefined, fromShow: string[] | undefined): string[] {
  const merged = [...(fromTags ?? [])];
  for (const c of fromShow ?? []) if (!merged.includes(c)) merged.push(c);
  return merged;
}

function nameKey(profileId: string, model: string): string {
  return `${profileId}\n${normalizeModelName(model)}`;
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  if (error instanceof AppError) return error.code === 'ABORTED';
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * An unknown model reaches us as an error line inside a 200 stream ("pull model manifest: file does not
 * exist"); the UI should say "no such model", so it becomes MODEL_NOT_FOUND with the server's words kept.
 */
function pullError(error: AppError, model: string): AppError {
  const text = `${error.detail?.serverError ?? ''} ${error.message}`;
  if (error.code !== 'MODEL_NOT_FOUND' && /file does not exist|not found/i.test(text)) {
    return new AppError('MODEL_NOT_FOUND', `Model ${model} was not found in the registry`, error.detail);
  }
  return error;
}

export class ModelService {
  private readonly deps: ModelServiceDeps;
  private readonly clock: Clock;
  private readonly capabilitiesByDigest = new Map<string, string[]>();
  /** The merged capabilities last listed per "profileId\nnormalized name", for the chat engine. */
  private readonly capabilitiesByName = new Map<string, string[]>();
  /** The weights blob of each model, by digest (from /api/show's FROM line). */
  private readonly weightsByDigest = new Map<string, string>();
  /** Per profile, the names last listed with their weights blob. */
  private readonly weightsByProfile = new Map<string, { name: string; weights: string }[]>();
  private readonly pulls = new Map<string, ActivePull>();

  constructor(deps: ModelServiceDeps) {
    this.deps = deps;
    this.clock = deps.clock ?? systemClock;
  }

  /** Installed models with details; capabilities filled from /api/show where tags lack them. */
  async list(profileId: string): Promise<InstalledModel[]> {
    const client = await this.deps.clientFor(profileId);
    const reply = await client.tags();
    const entries = reply.models ?? [];
    // Every model is asked once (by digest): tags may lack thinking/tools (D9) and never name the
    // weights blob that tells aliases apart (D8).
    const missing = entries.filter((e) => !this.weightsByDigest.has(e.digest));
    await this.fillCapabilities(client, missing);
    this.weightsByProfile.set(
      profileId,
      entries.flatMap((e) => {
        const weights = this.weightsByDigest.get(e.digest);
        return weights === undefined ? [] : [{ name: e.name, weights }];
      })
    );
    return entries.map((e) => {
      const capabilities = mergeCapabilities(e.capabilities, this.capabilitiesByDigest.get(e.digest));
      this.capabilitiesByName.set(nameKey(profileId, e.name), capabilities);
      return {
        name: e.name,
        size: e.size,
        modifiedAt: e.modified_at,
        digest: e.digest,
        details: pickDetails(e.details),
        capabilities
      };
    });
  }

  /** What a model can do, as last listed, else asked of /api/show once; undefined when unknown. */
  async capabilities(profileId: string, model: string): Promise<string[] | undefined> {
    const known = this.knownCapabilities(profileId, model);
    if (known !== undefined) return known;
    try {
      const client = await this.deps.clientFor(profileId);
      const reply = await client.show(model);
      if (!reply.capabilities) return undefined;
      this.capabilitiesByName.set(nameKey(profileId, model), reply.capabilities);
      return reply.capabilities;
    } catch {
      return undefined;
    }
  }

  /** Other listed names on this model's weights (they share its runner on the server); [] when unknown. */
  aliasesOf(profileId: string, model: string): string[] {
    const list = this.weightsByProfile.get(profileId) ?? [];
    const weights = list.find((e) => sameModel(e.name, model))?.weights;
    if (weights === undefined) return [];
    return list.filter((e) => e.weights === weights && !sameModel(e.name, model)).map((e) => e.name);
  }

  /** The cached capabilities only (no request). */
  knownCapabilities(profileId: string, model: string): string[] | undefined {
    return this.capabilitiesByName.get(nameKey(profileId, model));
  }

  /** Details of one model; its context length read from model_info. */
  async show(profileId: string, model: string): Promise<ModelShow> {
    const client = await this.deps.clientFor(profileId);
    const reply: ShowReply = await client.show(model);
    const result: ModelShow = {
      name: model,
      details: pickDetails(reply.details),
      capabilities: reply.capabilities ?? []
    };
    if (reply.parameters !== undefined) result.parameters = reply.parameters;
    if (reply.template !== undefined) result.template = reply.template;
    if (reply.system !== undefined) result.system = reply.system;
    if (reply.license !== undefined) result.license = reply.license;
    if (reply.modified_at !== undefined) result.modifiedAt = reply.modified_at;
    const contextLength = contextLengthOf(reply.model_info) ?? reply.details?.context_length;
    if (contextLength !== undefined) result.contextLength = contextLength;
    return result;
  }

  /**
   * Starts a pull and returns its id at once; progress, then success, error or cancelled, arrive
   * through `emit`. Several pulls may run at once, each with its own id.
   */
  pull(profileId: string, model: string, emit: (progress: PullProgress) => void): { pullId: string } {
    const pullId = this.deps.newId?.() ?? randomUUID();
    const controller = new AbortController();
    const send = (progress: Omit<PullProgress, 'pullId' | 'profileId' | 'model'>) => {
      try {
        emit({ pullId, profileId, model, ...progress });
      } catch {
        // A failing subscriber must not break the transfer.
      }
    };
    const done = this.runPull(profileId, model, controller.signal, send).finally(() => {
      this.pulls.delete(pullId);
    });
    this.pulls.set(pullId, { controller, done });
    return { pullId };
  }

  /** Aborts a pull's HTTP request; its last event says 'cancelled'. Unknown or finished: nothing. */
  async cancelPull(pullId: string): Promise<void> {
    const pull = this.pulls.get(pullId);
    if (!pull) return;
    pull.controller.abort();
    await pull.done;
  }

  /** Ids of pulls still running. */
  activePulls(): string[] {
    return [...this.pulls.keys()];
  }

  async delete(profileId: string, model: string): Promise<void> {
    const client = await this.deps.clientFor(profileId);
    await client.delete(model);
  }

  // ---------- internals ----------

  private async fillCapabilities(client: ClientLike, entries: TagsEntry[]): Promise<void> {
    const queue = [...entries];
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        try {
          const reply = await client.show(entry.name);
          if (reply.capabilities) this.capabilitiesByDigest.set(entry.digest, reply.capabilities);
          this.weightsByDigest.set(entry.digest, weightsOf(reply.modelfile) ?? entry.digest);
        } catch {
          // One model's details failing must not hide the list; it shows without capabilities.
        }
      }
    };
    const workers = Math.max(1, Math.min(this.deps.showConcurrency ?? 4, queue.length));
    await Promise.all(Array.from({ length: workers }, worker));
  }

  private async runPull(
    profileId: string,
    model: string,
    signal: AbortSignal,
    send: (p: Omit<PullProgress, 'pullId' | 'profileId' | 'model'>) => void
  ): Promise<void> {
    const meters = new Map<string, RateMeter>();
    let status = 'starting';
    try {
      const client = await this.deps.clientFor(profileId);
      for await (const chunk of client.pull(model, { signal })) {
        if (signal.aborted) break;
        if (typeof chunk.error === 'string') {
          throw new AppError('STREAM_ERROR', chunk.error, { serverError: chunk.error });
        }
        status = chunk.status ?? status;
        const progress: Omit<PullProgress, 'pullId' | 'profileId' | 'model'> = { status, state: 'running' };
        if (chunk.digest !== undefined) {
          progress.digest = chunk.digest;
          // `completed` is left out while it is 0.
          const completed = chunk.completed ?? 0;
          if (chunk.total !== undefined) progress.total = chunk.total;
          progress.completed = completed;
          let meter = meters.get(chunk.digest);
          if (!meter) meters.set(chunk.digest, (meter = new RateMeter()));
          const rate = meter.add(this.clock.now(), completed);
          if (rate !== undefined) progress.bytesPerSecond = rate;
        }
        if (status === 'success') {
          send({ status, state: 'success' });
          return;
        }
        send(progress);
      }
      if (signal.aborted) {
        send({ status, state: 'cancelled' });
        return;
      }
      const error = new AppError('STREAM_BROKEN', `The pull of ${model} ended before it succeeded`);
      send({ status, state: 'error', error: error.toShape() });
    } catch (error) {
      if (isAbort(error, signal)) {
        send({ status, state: 'cancelled' });
        return;
      }
      send({ status, state: 'error', error: pullError(toAppError(error), model).toShape() });
    }
  }
}
