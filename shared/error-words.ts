/**
 * Error codes to words a user understands. The UI maps codes, never message strings; Ollama's own
 * error text (detail.serverError) is shown only as a secondary line.
 */
import type { AppErrorShape, ErrorCode } from './errors';

export interface ErrorWords {
  title: string;
  hint?: string;
}

const WORDS: Record<ErrorCode, ErrorWords> = {
  INVALID_INPUT: { title: 'That input is not valid.' },
  NOT_FOUND: { title: 'It no longer exists.' },
  FORBIDDEN_SENDER: { title: 'The request was refused by the app.' },
  SERVER_UNREACHABLE: {
    title: 'The server cannot be reached.',
    hint: 'Check that the machine is on and the address is right.'
  },
  CONNECTION_REFUSED: {
    title: 'Connection refused.',
    hint: 'Is Ollama running? On another machine it must listen on 0.0.0.0 (OLLAMA_HOST=0.0.0.0).'
  },
  TIMEOUT: {
    title: 'The server did not answer in time.',
    hint: 'It may be busy loading a model, or a firewall drops the connection.'
  },
  HTTP_ERROR: { title: 'The server returned an error.' },
  MODEL_NOT_FOUND: {
    title: 'This model is not installed on the server.',
    hint: 'Pick another model, or pull this one.'
  },
  AUTH_REQUIRED: {
    title: 'The server refused the credentials.',
    hint: "Check the profile's token or user name and password."
  },
  SIGN_IN_REQUIRED: {
    title: 'This is a cloud model: the server must be signed in to ollama.com.',
    hint: 'Sign in with the link below (or run "ollama signin" on that server), then retry.'
  },
  PROMPT_TOO_LONG: {
    title: 'This conversation is longer than the model can read at once.',
    hint: 'Start a new chat, or raise the context length (num_ctx) in this chat’s options.'
  },
  SCHEMA_REJECTED: {
    title: 'The server could not use this JSON schema.',
    hint: 'Simplify the schema (not every schema can become a grammar), or use plain JSON mode.'
  },
  ORIGIN_OR_HOST_REFUSED: {
    title: 'The server refused this connection (403).',
    hint: 'Ollama checks the Host header and Origin: set OLLAMA_HOST=0.0.0.0 and, behind a proxy, OLLAMA_ORIGINS.'
  },
  STREAM_ERROR: { title: 'The model stopped with an error.', hint: 'You can retry the reply.' },
  STREAM_BROKEN: {
    title: 'Connection lost during the reply.',
    hint: 'The partial reply is kept. You can retry.'
  },
  BAD_RESPONSE: {
    title: 'The server answered with something that is not Ollama.',
    hint: 'A proxy or another service may be at that address.'
  },
  ABORTED: { title: 'Stopped.' },
  INVALID_HOST: {
    title: 'That server address is not valid.',
    hint: 'Use a form like 192.168.1.20, box.local:11434 or https://box/ollama.'
  },
  KEYCHAIN_UNAVAILABLE: {
    title: 'The system keychain is not available.',
    hint: 'Secrets are kept in an encrypted file instead.'
  },
  INVALID_FILE: { title: 'That file cannot be imported.' },
  BUSY: { title: 'Busy, try again in a moment.' },
  INTERNAL: { title: 'Something went wrong inside the app.' }
};

export function errorWords(error: AppErrorShape): ErrorWords {
  if (error.code === 'INVALID_HOST') return hostWords(error);
  return WORDS[error.code] ?? WORDS.INTERNAL;
}

/** A refused address says what is wrong with it (main's detail.issue), titled by the kind of problem. */
function hostWords(error: AppErrorShape): ErrorWords {
  const issue = error.detail?.issue;
  if (error.detail?.hint === 'too-long') {
    return { title: 'That address is too long.', ...(issue ? { hint: issue } : {}) };
  }
  return { title: WORDS.INVALID_HOST.title, hint: issue ?? WORDS.INVALID_HOST.hint };
}
