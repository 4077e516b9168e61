import { describe, expect, it } from 'vitest';
import { CALL_NAMES, calls, type Handlers } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { dispatch } from '../../../electron/main/core/dispatch';

// A handler table where every call answers with its own name, so routing is observable.
function echoHandlers(): Handlers {
  const table: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of CALL_NAMES) table[name] = async (input) => ({ name, input });
  return table as unknown as Handlers;
}

describe('dispatch: the IPC envelope', () => {
  it('routes a valid call to its handler and wraps the value', async () => {
    const result = await dispatch(echoHandlers(), 'profiles:setActive', { id: 'p1' });
    expect(result).toEqual({ ok: true, value: { name: 'profiles:setActive', input: { id: 'p1' } } });
  });

  it('refuses an unknown call without throwing', async () => {
    const result = await dispatch(echoHandlers(), 'fs:readFile', { path: '/etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('answers bad input with INVALID_INPUT naming the field, never a crash', async () => {
    const result = await dispatch(echoHandlers(), 'chat:send', { conversationId: 42, content: 'hi' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toContain('conversationId');
      expect(result.error.detail).toEqual({ path: 'conversationId', issue: expect.any(String) });
    }
  });

  it('refuses extra keys where the contract is strict', async () => {
    const result = await dispatch(echoHandlers(), 'app:info', { sneaky: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('turns an AppError into its code and a plain Error into INTERNAL', async () => {
    const handlers = echoHandlers();
    handlers['profiles:list'] = async () => {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'no keychain', { hint: 'x' });
    };
    handlers['presets:list'] = async () => {
      throw new TypeError('boom');
    };
    const logged: string[] = [];
    expect(await dispatch(handlers, 'profiles:list', undefined)).toEqual({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'no keychain', detail: { hint: 'x' } }
    });
    expect(await dispatch(handlers, 'presets:list', undefined, (line) => logged.push(line))).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' }
    });
    expect(logged.join('\n')).toContain('presets:list');
  });

  it('passes the parsed value (defaults applied, strings trimmed) to the handler', async () => {
    const result = await dispatch(echoHandlers(), 'profiles:save', {
      name: '  GPU box  ',
      host: '192.0.2.98',
      auth: { kind: 'none' }
    });
    expect(result).toMatchObject({
      ok: true,
      value: { input: { name: 'GPU box', defaults: {} } }
    });
  });

  it('has a schema for every call', () => {
    for (const name of CALL_NAMES) expect(calls[name].input, name).toBeDefined();
  });
});
