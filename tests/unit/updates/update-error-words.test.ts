/** What electron-updater and the network throw, as the sentence the Settings dialog shows. */
import { describe, expect, it } from 'vitest';
import { updateErrorWords } from '../../../electron/main/core/updates/update-error-words';

const err = (message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), extra);

describe('updateErrorWords', () => {
  it.each([
    [
      'no release feed yet',
      err('Cannot find latest-linux.yml in the latest release artifacts', {
        code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND'
      }),
      'No published release of Ollama Desk was found to update from. Try again later.'
    ],
    [
      "GitHub's 404 (electron-updater's HttpError)",
      err('HTTP error: Not Found', { code: 'HTTP_ERROR_404', statusCode: 404 }),
      'No published release of Ollama Desk was found to update from. Try again later.'
    ],
    [
      'offline',
      err('net::ERR_INTERNET_DISCONNECTED'),
      'Could not reach the release server. Check your internet connection and try again.'
    ],
    [
      'no DNS',
      err('getaddrinfo ENOTFOUND github.com', { code: 'ENOTFOUND' }),
      'Could not reach the release server. Check your internet connection and try again.'
    ],
    [
      'rate limited',
      err('HTTP error: Forbidden', { code: 'HTTP_ERROR_403', statusCode: 403 }),
      'The release server is limiting requests right now. Try again in an hour.'
    ],
    [
      'server trouble',
      err('HTTP error: Bad Gateway', { code: 'HTTP_ERROR_502', statusCode: 502 }),
      'The release server is having trouble. Try again later.'
    ],
    ['something else', err('Unexpected token < in JSON'), 'Checking for updates failed. Try again later.'],
    ['a thrown string', 'boom', 'Checking for updates failed. Try again later.']
  ])('a check that fails with %s', (_what, error, words) => {
    expect(updateErrorWords(error, 'check')).toBe(words);
  });

  it.each([
    [
      'a bad checksum',
      err('sha512 checksum mismatch, expected abc, got def', { code: 'ERR_CHECKSUM_MISMATCH' }),
      'The downloaded update did not pass its integrity check and was discarded. Try again later.'
    ],
    [
      'an unsigned Windows installer',
      err('New version 0.2.0 is not signed by the application owner', {
        code: 'ERR_UPDATER_INVALID_SIGNATURE'
      }),
      'The downloaded update did not pass its integrity check and was discarded. Try again later.'
    ],
    [
      'a full disk',
      err('ENOSPC: no space left on device, write', { code: 'ENOSPC' }),
      'There is not enough free disk space to download the update.'
    ],
    [
      'a dropped connection',
      err('socket hang up', { code: 'ECONNRESET' }),
      'The download was interrupted. Check your internet connection and try again.'
    ],
    [
      'something else',
      err('EPERM: operation not permitted'),
      'Downloading the update failed. Try again later.'
    ]
  ])('a download that fails with %s', (_what, error, words) => {
    expect(updateErrorWords(error, 'download')).toBe(words);
  });
});
