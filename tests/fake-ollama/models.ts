/** The fake's model catalog: names, digests, and the JSON shapes of tags, show and pull layers. */
import { createHash } from 'node:crypto';
import type { FakeModel } from './types';

const GB = 1_000_000_000;
const MB = 1_000_000;

export const DEFAULT_MODELS: FakeModel[] = [
  {
    name: 'gemma3:4b',
    family: 'gemma3',
    parameterSize: '4.3B',
    quantization: 'Q4_K_M',
    sizeBytes: Math.round(3.34 * GB),
    vramBytes: Math.round(3.34 * GB),
    capabilities: ['completion', 'vision'],
    contextLength: 131072,
    modifiedAt: '2025-06-12T09:30:00Z'
  },
  {
    name: 'qwen3:8b',
    family: 'qwen3',
    parameterSize: '8.2B',
    quantization: 'Q4_K_M',
    sizeBytes: Math.round(5.23 * GB),
    capabilities: ['completion', 'tools', 'thinking'],
    contextLength: 40960,
    modifiedAt: '2025-06-10T18:05:00Z'
  },
  {
    name: 'llama3.2:latest',
    family: 'llama',
    parameterSize: '3.2B',
    quantization: 'Q4_K_M',
    sizeBytes: Math.round(2.02 * GB),
    capabilities: ['completion', 'tools'],
    contextLength: 131072,
    modifiedAt: '2025-05-28T07:45:00Z'
  },
  {
    name: 'nomic-embed-text:latest',
    family: 'nomic-bert',
    parameterSize: '137M',
    quantization: 'F16',
    sizeBytes: 274_302_450,
    capabilities: ['embedding'],
    contextLength: 2048,
    modifiedAt: '2025-04-02T12:00:00Z'
  }
];

/** What /api/pull can fetch when it is not installed yet (sizes are fake and small). */
export const PULLABLE_MODELS: FakeModel[] = [
  {
    name: 'tinyllama:latest',
    family: 'llama',
    parameterSize: '1.1B',
    quantization: 'Q4_0',
    sizeBytes: 6 * MB,
    capabilities: ['completion'],
    contextLength: 2048
  },
  {
    name: 'phi3:mini',
    family: 'phi3',
    parameterSize: '3.8B',
    quantization: 'Q4_0',
    sizeBytes: 8 * MB,
    capabilities: ['completion'],
    contextLength: 131072
  },
  {
    name: 'smollm2:135m',
    family: 'llama',
    parameterSize: '134.52M',
    quantization: 'F16',
    sizeBytes: 4 * MB,
    capabilities: ['completion', 'tools'],
    contextLength: 8192
  }
];

const REGISTRY = 'registry.ollama.ai';

/** Lookup key: lower case, registry/library prefix dropped, `:latest` when the tag is missing. */
export function normalizeName(name: string): string {
  let n = name.trim().toLowerCase();
  if (n.startsWith(REGISTRY + '/')) n = n.slice(REGISTRY.length + 1);
  if (n.startsWith('library/')) n = n.slice('library/'.length);
  const lastSlash = n.lastIndexOf('/');
  if (!n.slice(lastSlash + 1).includes(':')) n += ':latest';
  return n;
}

/** model.ParseName(...).DisplayShortest(): the registry and library dropped, `:latest` added; case kept. */
export function shortName(name: string): string {
  let n = name.trim();
  if (n.toLowerCase().startsWith(REGISTRY + '/')) n = n.slice(REGISTRY.length + 1);
  if (n.toLowerCase().startsWith('library/')) n = n.slice('library/'.length);
  if (!n.slice(n.lastIndexOf('/') + 1).includes(':')) n += ':latest';
  return n;
}

/** The full name in Ollama's capability errors: registry.ollama.ai/library/m:tag. */
export function fullName(name: string): string {
  const n = normalizeName(name);
  const slashes = n.split('/').length - 1;
  if (slashes === 0) return `${REGISTRY}/library/${n}`;
  if (slashes === 1) return `${REGISTRY}/${n}`;
  return n;
}

/** A plausible name: what model.ParseName would accept, roughly. */
export function isValidName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*){0,2}(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/.test(
    name.trim()
  );
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The scheduler's key (ModelPath): models made FROM another one share its weights and its runner. */
export function weightsKey(m: FakeModel): string {
  return normalizeName(m.weights ?? m.name);
}

/** Names Ollama proxies to ollama.com: a tag of `cloud` or ending in `-cloud` (modelref.parseSourceSuffix). */
export function isCloudName(name: string): boolean {
  const n = name.trim().toLowerCase();
  const colon = n.lastIndexOf(':');
  const tag = colon > n.lastIndexOf('/') ? n.slice(colon + 1) : '';
  return tag === 'cloud' || tag.endsWith('-cloud');
}

export function modelDigest(m: FakeModel): string {
  return sha256Hex('manifest:' + normalizeName(m.name));
}

export function modelDetails(m: FakeModel): Record<string, unknown> {
  return {
    parent_model: '',
    format: 'gguf',
    family: m.family,
    families: [m.family],
    parameter_size: m.parameterSize,
    quantization_level: m.quantization
  };
}

/** details in /api/tags: the GGUF's context and embedding lengths too (D15). */
export function tagsDetails(m: FakeModel): Record<string, unknown> {
  return { ...modelDetails(m), context_length: m.contextLength, embedding_length: embeddingLength(m) };
}

/** Capabilities as /api/tags computes them: native-template models lose thinking and tools there (D9). */
export function tagsCapabilities(m: FakeModel): string[] {
  return m.nativeTemplate ? m.capabilities.filter((c) => c !== 'thinking' && c !== 'tools') : m.capabilities;
}

function embeddingLength(m: FakeModel): number {
  return m.embeddingLength ?? 3072;
}

/** /api/show's tensors: every weight of every block, as a GGUF lists them (D18). */
function tensors(m: FakeModel, blocks: number): { name: string; type: string; shape: number[] }[] {
  const e = embeddingLength(m);
  const q = m.quantization.startsWith('Q') ? m.quantization.replace(/_[A-Z]$/, '') : m.quantization;
  const out = [{ name: 'token_embd.weight', type: q, shape: [e, 128256] }];
  for (let i = 0; i < blocks; i++) {
    const b = `blk.${i}.`;
    out.push(
      { name: b + 'attn_norm.weight', type: 'F32', shape: [e] },
      { name: b + 'attn_q.weight', type: q, shape: [e, e] },
      { name: b + 'attn_k.weight', type: q, shape: [e, e / 4] },
      { name: b + 'attn_v.weight', type: q, shape: [e, e / 4] },
      { name: b + 'attn_output.weight', type: q, shape: [e, e] },
      { name: b + 'ffn_norm.weight', type: 'F32', shape: [e] },
      { name: b + 'ffn_gate.weight', type: q, shape: [e, e * 4] },
      { name: b + 'ffn_up.weight', type: q, shape: [e, e * 4] },
      { name: b + 'ffn_down.weight', type: q, shape: [e * 4, e] }
    );
  }
  out.push({ name: 'output_norm.weight', type: 'F32', shape: [e] });
  return out;
}

export interface Layer {
  digest: string;
  size: number;
}

/** Two layers (weights + params) whose sizes add up to the model's size. */
export function modelLayers(m: FakeModel): Layer[] {
  const key = normalizeName(m.name);
  const second = Math.max(1, Math.round(m.sizeBytes * 0.4));
  return [
    { digest: sha256Hex('layer0:' + weightsKey(m)), size: m.sizeBytes - second },
    { digest: sha256Hex('layer1:' + key), size: second }
  ];
}

function parameterCount(size: string): number {
  const match = /^([\d.]+)\s*([KMBT]?)/i.exec(size);
  const scale: Record<string, number> = { '': 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
  return match ? Math.round(Number(match[1]) * (scale[(match[2] ?? '').toUpperCase()] ?? 1)) : 0;
}

/** The body of /api/show for this model (modified_at is filled in by the caller). */
export function showPayload(m: FakeModel, verbose: boolean): Record<string, unknown> {
  const arch = m.family;
  const isVision = m.capabilities.includes('vision');
  const template = '{{- range .Messages }}<|{{ .Role }}|>\n{{ .Content }}<|end|>\n{{ end }}<|assistant|>\n';
  const parameters = ['stop                           "<|end|>"', 'temperature                    0.7'].join(
    '\n'
  );
  const modelInfo: Record<string, unknown> = {
    'general.architecture': arch,
    'general.basename': normalizeName(m.name).split(':')[0],
    'general.file_type': 15,
    'general.parameter_count': parameterCount(m.parameterSize),
    'general.quantization_version': 2,
    [`${arch}.attention.head_count`]: 32,
    [`${arch}.block_count`]: 32,
    [`${arch}.context_length`]: m.contextLength,
    [`${arch}.embedding_length`]: embeddingLength(m),
    'tokenizer.ggml.model': 'gpt2',
    'tokenizer.ggml.tokens': verbose ? ['<unk>', '<s>', '</s>'] : [],
    'tokenizer.ggml.token_type': verbose ? [2, 3, 3] : []
  };
  const body: Record<string, unknown> = {
    license: 'Fake license for fake-ollama test models. Not a real model.',
    modelfile: `# Modelfile generated by "ollama show"\n# To build a new Modelfile based on this, replace FROM with:\n# FROM ${shortName(m.name)}\n\nFROM /usr/share/ollama/.ollama/models/blobs/sha256-${modelLayers(m)[0]?.digest ?? ''}\nTEMPLATE """${template}"""\n${parameters
      .split('\n')
      .map((p) => 'PARAMETER ' + p.replace(/\s+/, ' '))
      .join('\n')}\n`,
    parameters,
    template,
    details: modelDetails(m),
    model_info: modelInfo,
    tensors: tensors(m, 32)
  };
  if (isVision) body['projector_info'] = { 'clip.vision.image_size': 896, 'clip.has_vision_encoder': true };
  body['capabilities'] = m.capabilities;
  return body;
}
