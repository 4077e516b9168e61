/**
 * Errors a real Ollama sends that the user can act on (real-ollama.md D5, D11, D12): a cloud model's
 * 401 with its sign-in link, llama-server's prompt-too-long 400, and its raw JSON schema error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import { httpFailure } from '../../../electron/main/core/ollama/errors';
import { caught, drain } from './expect-helpers';
import { httpServer, type LocalServer } from './local-servers';

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const URL_ = 'http://127.0.0.1:1/api/chat';
const SIGNIN = 'https://ollama.com/connect?name=box&key=c3NoLWVkMjU1MTk';
const TOO_LONG =
  'the prompt is longer than the context length currently available to the model; shorten the prompt, adjust the context length in settings, or use a model with a longer context length';
const RAW_SCHEMA =
  '{"error":{"code":400,"message":"Unsupported pattern syntax","type":"invalid_request_error"}}';

describe('error mapping', () => {
  it('a 401 with signin_url is SIGN_IN_REQUIRED with the link; one without stays AUTH_REQUIRED', () => {
    const cloud = httpFailure(401, JSON.stringify({ error: 'unauthorized', signin_url: SIGNIN }), URL_, true);
    expect(cloud.code).toBe('SIGN_IN_REQUIRED');
    expect(cloud.detail).toMatchObject({ signinUrl: SIGNIN, hint: 'sign-in', status: 401 });
    const plain = httpFailure(401, JSON.stringify({ error: 'unauthorized' }), URL_, true);
    expect(plain.code).toBe('AUTH_REQUIRED');
    expect(plain.detail?.signinUrl).toBeUndefined();
    // A link that is not http(s) is never offered.
    const odd = httpFailure(
      401,
      JSON.stringify({ error: 'unauthorized', signin_url: 'file:///etc/passwd' }),
      URL_,
      true
    );
    expect(odd.code).toBe('AUTH_REQUIRED');
  });

  it("llama-server's prompt-too-long 400 is PROMPT_TOO_LONG", () => {
    const e = httpFailure(400, JSON.stringify({ error: TOO_LONG }), URL_, true);
    expect(e.code).toBe('PROMPT_TOO_LONG');
    expect(e.detail?.serverError).toBe(TOO_LONG);
  });

  it("llama-server's raw JSON error is shown by its message; with a schema sent it is SCHEMA_REJECTED", () => {
    const withSchema = httpFailure(400, JSON.stringify({ error: RAW_SCHEMA }), URL_, true, true);
    expect(withSchema.code).toBe('SCHEMA_REJECTED');
    expect(withSchema.detail?.serverError).toBe('Unsupported pattern syntax');
    const without = httpFailure(400, JSON.stringify({ error: RAW_SCHEMA }), URL_, true, false);
    expect(without.code).toBe('HTTP_ERROR');
    expect(without.detail?.serverError).toBe('Unsupported pattern syntax');
  });
});

describe('through the client', () => {
  it('a chat with a schema that the runner rejects is SCHEMA_REJECTED, a cloud 401 carries its link', async () => {
    const s = await httpServer((req, res) => {
      res.writeHead(req.url === '/api/generate' ? 401 : 400, { 'Content-Type': 'application/json' });
      res.end(
        req.url === '/api/generate'
          ? JSON.stringify({ error: 'unauthorized', signin_url: SIGNIN })
          : JSON.stringify({ error: RAW_SCHEMA })
      );
    });
    servers.push(s);
    const client = new OllamaClient({ baseUrl: s.url });
    const schema = await caught(() =>
      drain(client.chat({ model: 'm', messages: [], format: { type: 'string', pattern: '(?=x)' } }))
    );
    expect(schema.code).toBe('SCHEMA_REJECTED');
    const cloud = await caught(() => client.generateOnce({ model: 'gpt-oss:120b-cloud', prompt: 'x' }));
    expect(cloud).toMatchObject({ code: 'SIGN_IN_REQUIRED', detail: { signinUrl: SIGNIN } });
  });
});
