/**
 * The auth part of the profile form as the user edits it, and its translation to the contract's
 * AuthInput. Secrets are write-only: an empty secret field means "keep what is saved", and removing a
 * saved secret is an explicit choice (sent as an empty string).
 */
import { headerNameSchema, type AuthInput, type AuthSummary } from '@shared/domain';

export type AuthKind = AuthInput['kind'];

export interface HeaderDraft {
  key: number;
  name: string;
  value: string;
  /** The header came from the saved profile: an empty value keeps the saved one. */
  saved: boolean;
}

export interface AuthDraft {
  kind: AuthKind;
  token: string;
  forgetToken: boolean;
  username: string;
  password: string;
  forgetPassword: boolean;
  headers: HeaderDraft[];
}

let headerKeys = 0;
export function newHeader(name = '', saved = false): HeaderDraft {
  return { key: ++headerKeys, name, value: '', saved };
}

export function draftFromSummary(summary: AuthSummary | undefined): AuthDraft {
  const draft: AuthDraft = {
    kind: summary?.kind ?? 'none',
    token: '',
    forgetToken: false,
    username: '',
    password: '',
    forgetPassword: false,
    headers: []
  };
  if (summary?.kind === 'basic') draft.username = summary.username;
  if (summary?.kind === 'headers') draft.headers = summary.headerNames.map((name) => newHeader(name, true));
  return draft;
}

/** Words for what is wrong with the draft, or null when it can be sent. */
export function authProblem(draft: AuthDraft): string | null {
  if (draft.kind === 'basic' && draft.username.trim() === '') return 'Enter a user name.';
  if (draft.kind === 'headers') {
    const named = draft.headers.filter((h) => h.name.trim() !== '');
    if (named.length === 0) return 'Add at least one header.';
    const bad = named.find((h) => !headerNameSchema.safeParse(h.name.trim()).success);
    if (bad) return `“${bad.name.trim()}” is not a valid header name.`;
  }
  return null;
}

export function authInputFromDraft(draft: AuthDraft): AuthInput {
  switch (draft.kind) {
    case 'none':
      return { kind: 'none' };
    case 'bearer':
      if (draft.token !== '') return { kind: 'bearer', token: draft.token };
      return draft.forgetToken ? { kind: 'bearer', token: '' } : { kind: 'bearer' };
    case 'basic': {
      const username = draft.username.trim();
      if (draft.password !== '') return { kind: 'basic', username, password: draft.password };
      return draft.forgetPassword ? { kind: 'basic', username, password: '' } : { kind: 'basic', username };
    }
    case 'headers':
      return {
        kind: 'headers',
        headers: draft.headers
          .filter((h) => h.name.trim() !== '')
          .map((h) => (h.value !== '' ? { name: h.name.trim(), value: h.value } : { name: h.name.trim() }))
      };
  }
}
