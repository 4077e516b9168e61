/**
 * The profiles file: profiles without their secrets. A stored auth records only whether a
 * secret exists and where it went; the value lives in the SecretStore.
 */
import { z } from 'zod';
import { headerNameSchema, idSchema, profileDefaultsSchema } from '@shared/domain';
import type { KeyValueStore } from '../ports';
import { openJsonStore, type CorruptInfo, type Migration, type StoreFactory } from '../store/open-json-store';

const secretLocationSchema = z.enum(['keychain', 'encrypted-file', 'passphrase-file', 'session', 'none']);

export const storedAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('bearer'), hasSecret: z.boolean(), secretLocation: secretLocationSchema }),
  z.object({
    kind: z.literal('basic'),
    username: z.string(),
    hasSecret: z.boolean(),
    secretLocation: secretLocationSchema
  }),
  z.object({
    kind: z.literal('headers'),
    headers: z.array(
      z.object({ name: headerNameSchema, hasSecret: z.boolean(), secretLocation: secretLocationSchema })
    )
  })
]);
export type StoredAuth = z.infer<typeof storedAuthSchema>;

export const storedProfileSchema = z.object({
  id: idSchema,
  name: z.string(),
  host: z.string(),
  baseUrl: z.string(),
  auth: storedAuthSchema,
  defaults: profileDefaultsSchema
});
export type StoredProfile = z.infer<typeof storedProfileSchema>;

export const profilesFileSchema = z.object({
  profiles: z.array(storedProfileSchema),
  activeId: idSchema.nullable(),
  /** Set once the first-run profile was made, so deleting every profile does not bring it back. */
  seeded: z.boolean()
});
export type ProfilesFile = z.infer<typeof profilesFileSchema>;

export const PROFILES_FILE_VERSION = 1;
export const PROFILES_MIGRATIONS: Record<number, Migration> = {};
export const PROFILES_DEFAULTS: ProfilesFile = { profiles: [], activeId: null, seeded: false };

export function openProfilesStore(opts: {
  factory: StoreFactory;
  cwd: string;
  onCorrupt?: (info: CorruptInfo) => void;
}): KeyValueStore<ProfilesFile> {
  return openJsonStore({
    factory: opts.factory,
    cwd: opts.cwd,
    name: 'profiles',
    schema: profilesFileSchema,
    defaults: PROFILES_DEFAULTS,
    version: PROFILES_FILE_VERSION,
    migrations: PROFILES_MIGRATIONS,
    onCorrupt: opts.onCorrupt
  });
}
