/**
 * Turns what electron-updater (and the network under it) throws into a sentence for the Settings
 * dialog. The raw error goes to the log; the user reads what happened and what to do.
 */
interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

const NO_RELEASE = new Set([
  'ERR_UPDATER_LATEST_VERSION_NOT_FOUND',
  'ERR_UPDATER_NO_PUBLISHED_VERSIONS',
  'ERR_UPDATER_RELEASE_NOT_FOUND',
  'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
  'ERR_UPDATER_ASSET_NOT_FOUND',
  'ERR_UPDATER_ZIP_FILE_NOT_FOUND',
  'ERR_UPDATER_NO_FILES_PROVIDED'
]);
const DAMAGED = new Set([
  'ERR_CHECKSUM_MISMATCH',
  'ERR_UPDATER_INVALID_SIGNATURE',
  'ERR_UPDATER_NO_CHECKSUM'
]);
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH'
]);

export function updateErrorWords(error: unknown, during: 'check' | 'download'): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status =
    typeof e.statusCode === 'number' ? e.statusCode : Number(/^HTTP_ERROR_(\d+)$/.exec(code)?.[1]);

  if (NO_RELEASE.has(code) || status === 404) {
    return 'No published release of Ollama Desk was found to update from. Try again later.';
  }
  if (DAMAGED.has(code) || /checksum mismatch|not signed|signature/i.test(message)) {
    return 'The downloaded update did not pass its integrity check and was discarded. Try again later.';
  }
  if (code === 'ENOSPC' || /ENOSPC|no space left/i.test(message)) {
    return 'There is not enough free disk space to download the update.';
  }
  if (status === 403 || status === 429) {
    return 'The release server is limiting requests right now. Try again in an hour.';
  }
  if (status >= 500) return 'The release server is having trouble. Try again later.';
  if (NETWORK_CODES.has(code) || /net::ERR_|getaddrinfo|socket hang up/i.test(message)) {
    return during === 'check'
      ? 'Could not reach the release server. Check your internet connection and try again.'
      : 'The download was interrupted. Check your internet connection and try again.';
  }
  return during === 'check'
    ? 'Checking for updates failed. Try again later.'
    : 'Downloading the update failed. Try again later.';
}
