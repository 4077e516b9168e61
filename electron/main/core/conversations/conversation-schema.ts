/**
 * Zod schemas for conversations as they sit in files (our own store and exported files). A file that
 * does not match is treated as corrupt (store) or refused (import); unknown extra keys are dropped.
 */
import { z } from 'zod';
import { ERROR_CODES } from '@shared/errors';
import { formatSchema, idSchema, keepAliveSchema, modelOptionsSchema } from '@shared/domain';
import type { Conversation, Message } from '@shared/domain';
import { bounded } from '@shared/json-bounds';

const errorShapeSchema = z.object({
  // A code from a newer version becomes INTERNAL rather than making the whole file unreadable.
  code: z.enum(ERROR_CODES).catch('INTERNAL'),
  message: z.string(),
  detail: z
    .object({
      status: z.number().optional(),
      serverError: z.string().optional(),
      hint: z.string().optional(),
      url: z.string().optional()
    })
    .optional()
});

const metricsSchema = z.object({
  totalDuration: z.number().optional(),
  loadDuration: z.number().optional(),
  promptEvalCount: z.number().optional(),
  promptEvalDuration: z.number().optional(),
  evalCount: z.number().optional(),
  evalDuration: z.number().optional()
});

const jsonCheckSchema = z.object({
  valid: z.boolean(),
  parseError: z.object({ message: z.string(), position: z.number().optional() }).optional(),
  violations: z.array(z.object({ path: z.string(), message: z.string() })).optional()
});

export const messageSchema = z.object({
  id: idSchema,
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  thinking: z.string().optional(),
  images: z.array(z.string()).optional(),
  createdAt: z.number(),
  status: z.enum(['streaming', 'done', 'stopped', 'broken', 'error']).optional(),
  profileId: z.string().optional(),
  profileName: z.string().optional(),
  model: z.string().optional(),
  // The body holds the history (images too), so only its depth is really bounded; the file's text
  // limit bounds its size.
  request: z
    .object({
      url: z.string(),
      body: bounded(z.unknown(), { maxDepth: 100, maxChars: 100_000_000 }, 'The recorded request')
    })
    .optional(),
  doneReason: z.string().optional(),
  metrics: metricsSchema.optional(),
  thinkingMs: z.number().optional(),
  error: errorShapeSchema.optional(),
  json: jsonCheckSchema.optional()
});

export const conversationSchema = z.object({
  id: idSchema,
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  profileId: z.string(),
  model: z.string(),
  presetId: z.string().optional(),
  system: z.string().optional(),
  options: modelOptionsSchema.optional(),
  jsonMode: z.boolean(),
  format: formatSchema.optional(),
  think: z.boolean().optional(),
  keepAlive: keepAliveSchema.optional(),
  messages: z.array(messageSchema)
});

export const EXPORT_APP = 'ollama-desk';
export const EXPORT_KIND = 'conversations';
export const EXPORT_VERSION = 1;

export const exportFileSchema = z.object({
  app: z.literal(EXPORT_APP),
  kind: z.literal(EXPORT_KIND),
  version: z.literal(EXPORT_VERSION),
  conversations: z.array(conversationSchema)
});

// Compile-time checks that the schemas produce our domain types.
type Assert<T extends true> = T;
export type MessageSchemaFits = Assert<z.output<typeof messageSchema> extends Message ? true : false>;
export type ConversationSchemaFits = Assert<
  z.output<typeof conversationSchema> extends Conversation ? true : false
>;
