/** Error codes that cross the IPC boundary. The UI maps these to words; it never parses messages. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'FORBIDDEN_SENDER',
  'SERVER_UNREACHABLE',
  'CONNECTION_REFUSED',
  'TIMEOUT',
  'HTTP_ERROR',
  'MODEL_NOT_FOUND',
  'AUTH_REQUIRED',
  /** A cloud model (`:cloud`) on a server not signed in to ollama.com: detail.signinUrl says where. */
  'SIGN_IN_REQUIRED',
  /** The conversation no longer fits the model's context (context shift off). */
  'PROMPT_TOO_LONG',
  /** The model's runner could not use the format's JSON schema; detail.serverError says why. */
  'SCHEMA_REJECTED',
  'ORIGIN_OR_HOST_REFUSED',
  'STREAM_ERROR',
  'STREAM_BROKEN',
  'BAD_RESPONSE',
  'ABORTED',
  'INVALID_HOST',
  'KEYCHAIN_UNAVAILABLE',
  'INVALID_FILE',
  'BUSY',
  'INTERNAL'
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /** Extra facts for the UI (HTTP status, Ollama's own error text, a hint key). */
  detail?: {
    status?: number;
    serverError?: string;
    hint?: string;
    url?: string;
    /** For INVALID_INPUT: the dotted path of the offending field ("options.temperature")… */
    path?: string;
    /** …and what is wrong with it, so a form can show it by the field without parsing words. */
    issue?: string;
    /** SIGN_IN_REQUIRED: the server's sign-in link for ollama.com (opened in the system browser). */
    signinUrl?: string;
  };
}

/** The error type thrown inside main; converted to the envelope at the IPC edge. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: AppErrorShape['detail'];
  constructor(code: ErrorCode, message: string, detail?: AppErrorShape['detail']) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
  }
  toShape(): AppErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The IPC envelope: every call resolves to one of these, never throws. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
