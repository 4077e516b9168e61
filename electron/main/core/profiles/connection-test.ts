/**
 * "Test connection": asks a server for its version (timing the round trip) and its models, and
 * turns a failure into a report with a hint a person can act on.
 */
import type { ConnectionReport } from '@shared/domain';
import { AppError, isAppError, type AppErrorShape, type ErrorCode } from '@shared/errors';

/** The part of OllamaClient a connection test needs. */
export interface ConnectionClient {
  version(): Promise<string>;
  tags(): Promise<{ models: unknown[] }>;
}

function portOf(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return url.port || (url.protocol === 'https:' ? '443' : '80');
  } catch {
    return '11434';
  }
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/**
 * A sentence that tells the user what to check for this error, or undefined when we have none.
 * The client's `detail.hint` key refines a code where one code has several causes.
 */
export function connectionHint(
  error: { code: ErrorCode; detail?: AppErrorShape['detail'] },
  baseUrl: string
): string | undefined {
  const key = error.detail?.hint;
  switch (error.code) {
    case 'CONNECTION_REFUSED':
      return 'Connection refused: is Ollama running, and listening on 0.0.0.0 if it is on another machine?';
    case 'TIMEOUT':
    case 'SERVER_UNREACHABLE':
      if (key === 'tls-certificate') {
        return `The TLS connection to ${hostOf(baseUrl)} failed: check its certificate, or use http:// if it does not speak https.`;
      }
      if (key === 'check-host') {
        return `The name ${hostOf(baseUrl)} could not be found: check its spelling, or use the machine's IP address.`;
      }
      return (
        `No answer from ${hostOf(baseUrl)}: check the address and port, that the machine is on and on ` +
        `this network, and that no firewall blocks port ${portOf(baseUrl)}.`
      );
    case 'AUTH_REQUIRED':
      return "The server (or a proxy in front of it) wants credentials: check this profile's authentication.";
    case 'ORIGIN_OR_HOST_REFUSED':
      return (
        'The server refused this request: if Ollama listens only on localhost, start it with ' +
        'OLLAMA_HOST=0.0.0.0 so other machines can reach it, and add this origin to OLLAMA_ORIGINS if it is checked.'
      );
    case 'INVALID_HOST':
      if (key === 'blocked-port')
        return `Port ${portOf(baseUrl)} is blocked for web requests: run Ollama on another port.`;
      return 'Use a host, host:port or http(s)://host:port, for example 192.168.1.20:11434.';
    case 'HTTP_ERROR':
    case 'BAD_RESPONSE':
      return 'Something answered, but not like Ollama: check the port and any path after the host.';
    default:
      return undefined;
  }
}

function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
}

/** The report for a failure, e.g. a host that did not even parse. */
export function failedReport(
  baseUrl: string,
  error: unknown,
  partial: Partial<ConnectionReport> = {}
): ConnectionReport {
  const appError = toAppError(error);
  const hint = connectionHint(appError, baseUrl);
  return {
    ...partial,
    ok: false,
    baseUrl,
    error: appError.toShape(),
    ...(hint === undefined ? {} : { hint })
  };
}

export async function testConnection(deps: {
  baseUrl: string;
  client: ConnectionClient;
  now?: () => number;
}): Promise<ConnectionReport> {
  const now = deps.now ?? (() => performance.now());
  const { baseUrl, client } = deps;
  const started = now();
  let version: string;
  try {
    version = await client.version();
  } catch (error) {
    return failedReport(baseUrl, error);
  }
  const latencyMs = Math.round(now() - started);
  try {
    const { models } = await client.tags();
    return { ok: true, baseUrl, version, latencyMs, modelCount: models.length };
  } catch (error) {
    // /api/version answers without auth on a proxied server; /api/tags may not.
    return failedReport(baseUrl, error, { version, latencyMs });
  }
}
