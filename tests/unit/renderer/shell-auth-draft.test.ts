/** The profile form's auth draft and what it sends: secrets are write-only, removal is explicit. */
import { describe, expect, it } from 'vitest';
import { authInputSchema } from '../../../shared/domain';
import {
  authInputFromDraft,
  authProblem,
  draftFromSummary,
  newHeader
} from '../../../renderer/src/components/shell/auth-draft';

describe('auth draft', () => {
  it('starts from what is saved, never with a secret in it', () => {
    const bearer = draftFromSummary({ kind: 'bearer', hasSecret: true, secretLocation: 'keychain' });
    expect(bearer).toMatchObject({ kind: 'bearer', token: '', forgetToken: false });
    const basic = draftFromSummary({
      kind: 'basic',
      username: 'ana',
      hasSecret: true,
      secretLocation: 'keychain'
    });
    expect(basic).toMatchObject({ kind: 'basic', username: 'ana', password: '' });
    const headers = draftFromSummary({
      kind: 'headers',
      headerNames: ['X-Key', 'X-Org'],
      hasSecret: true,
      secretLocation: 'encrypted-file'
    });
    expect(headers.headers.map((h) => [h.name, h.value, h.saved])).toEqual([
      ['X-Key', '', true],
      ['X-Org', '', true]
    ]);
    expect(draftFromSummary(undefined).kind).toBe('none');
  });

  it('an empty secret keeps the saved one (omitted); removing sends an empty string', () => {
    const draft = draftFromSummary({ kind: 'bearer', hasSecret: true, secretLocation: 'keychain' });
    expect(authInputFromDraft(draft)).toEqual({ kind: 'bearer' });
    draft.forgetToken = true;
    expect(authInputFromDraft(draft)).toEqual({ kind: 'bearer', token: '' });
    draft.token = 'new-token';
    expect(authInputFromDraft(draft)).toEqual({ kind: 'bearer', token: 'new-token' });
  });

  it('basic auth trims the user name and keeps or replaces the password', () => {
    const draft = draftFromSummary({ kind: 'none' });
    draft.kind = 'basic';
    draft.username = '  ana ';
    expect(authInputFromDraft(draft)).toEqual({ kind: 'basic', username: 'ana' });
    draft.password = 'pw';
    expect(authInputFromDraft(draft)).toEqual({ kind: 'basic', username: 'ana', password: 'pw' });
    draft.password = '';
    draft.forgetPassword = true;
    expect(authInputFromDraft(draft)).toEqual({ kind: 'basic', username: 'ana', password: '' });
  });

  it('headers: blank rows dropped, saved values kept when empty, every result valid for main', () => {
    const draft = draftFromSummary({
      kind: 'headers',
      headerNames: ['X-Key'],
      hasSecret: true,
      secretLocation: 'keychain'
    });
    draft.headers.push({ ...newHeader(' X-Org '), value: 'acme' }, newHeader());
    const input = authInputFromDraft(draft);
    expect(input).toEqual({
      kind: 'headers',
      headers: [{ name: 'X-Key' }, { name: 'X-Org', value: 'acme' }]
    });
    expect(authInputSchema.safeParse(input).success).toBe(true);
  });

  it('says what is missing before anything is sent', () => {
    const draft = draftFromSummary(undefined);
    expect(authProblem(draft)).toBeNull();
    draft.kind = 'basic';
    expect(authProblem(draft)).toBe('Enter a user name.');
    draft.kind = 'headers';
    expect(authProblem(draft)).toBe('Add at least one header.');
    draft.headers = [{ ...newHeader('Bad Header'), value: 'x' }];
    expect(authProblem(draft)).toBe('“Bad Header” is not a valid header name.');
    draft.headers = [{ ...newHeader('X-Ok'), value: 'x' }];
    expect(authProblem(draft)).toBeNull();
  });
});
