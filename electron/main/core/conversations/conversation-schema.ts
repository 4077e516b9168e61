/**
 * Zod schemas for conversations as they sit in files (our own store and exported files). A file that
 * does not match is treated as corrupt (store) or refused (import); unknown extra keys are dropped.
 *
 * Two shapes: version 2 (a record with `version: 2`) holds every branch, each message naming its
 * parent, and the choice shown at each parent; the earlier shape (no version) holds one line of
 * messages. Both are read, files and exports alike; only version 2 is written.
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
  parentId: idSchema.optional(),
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

export const RECORD_VERSION = 2;

/** Version 2: `messages` holds every branch (parents first); `chosen` maps a parent id ('' for none) to the child shown. */
export const conversationRecordSchema = conversationSchema.extend({
  version: z.literal(RECORD_VERSION),
  chosen: z.record(z.string().max(100), idSchema)
});

export type ConversationRecord = z.output<typeof conversationRecordSchema>;
export type LineConversation = z.output<typeof conversationSchema>;

/**
 * A conversation file or an exported conversation, either shape. The `version` key decides which
 * (a broken version 2 record must not pass as a line of messages).
 */
export const storedConversationSchema = z
  .unknown()
  .transform((raw, ctx): ConversationRecord | LineConversation => {
    const parsed = (hasVersion(raw) ? conversationRecordSchema : conversationSchema).safeParse(raw);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
    return z.NEVER;
  });

function hasVersion(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'version' in raw;
}

export const EXPORT_APP = 'ollama-desk';
export const EXPORT_KIND = 'conversations';
/** 1: one line of messages per conversation; 2: conversation records with every branch. */
export const EXPORT_VERSION = 2;

export const exportFileSchema = z.object({
  app: z.literal(EXPORT_APP),
  kind: z.literal(EXPORT_KIND),
  version: z.union([z.literal(1), z.literal(EXPORT_VERSION)]),
  conversations: z.array(storedConversationSchema)
});

// Compile-time checks that the schemas produce our domain types.
type Assert<T extends true> = T;
export type MessageSchemaFits = Assert<z.output<typeof messageSchema> extends Message ? true : false>;
export type ConversationSchemaFits = Assert<
  z.output<typeof conversationSchema> extends Conversation ? true : false
>;
