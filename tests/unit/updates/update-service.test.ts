/**
 * The "Check for updates" flow over a fake updater and a manual clock: off by default and silent while
 * off; when on it checks, offers a newer version and downloads only on the user's yes, then waits for
 * a restart; "not now" is remembered by automatic checks; failures read as sentences for users.
 */
import { describe, expect, it } from 'vitest';
import type { UpdateState } from '@shared/updates';
import {
  CHECK_PERIOD_MS,
  FIRST_CHECK_DELAY_MS,
  UNAVAILABLE_MESSAGE,
  UpdateService
} from '../../../electron/main/core/updates/update-service';
import { ManualClock } from '../models/manual-clock';
import { FakeUpdater, settle } from './fake-updater';

function setup(opts: { enabled: boolean; updater?: FakeUpdater | null }) {
  const updater = opts.updater === undefined ? new FakeUpdater() : opts.updater;
  const clock = new ManualClock();
  const states: UpdateState[] = [];
  const service = new UpdateService({
    updater,
    enabled: opts.enabled,
    clock,
    onState: (state) => states.push(state),
    log: () => {}
  });
  return { updater: updater!, clock, states, service };
}

describe('UpdateService', () => {
  it('is off by default: no check, no timer, nothing downloaded, however long it runs', async () => {
    const { updater, clock, service } = setup({ enabled: false });
    expect(service.state()).toEqual({ phase: 'off' });
    clock.advance(7 * 24 * 60 * 60 * 1000);
    await settle();
    expect(clock.pending()).toEqual([]);
    await expect(service.check()).resolves.toEqual({ phase: 'off' });
    expect(updater.checks).toBe(0);
    await expect(service.download()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(updater.downloads).toBe(0);
  });

  it('when on, checks a while after start and then every few hours', async () => {
    const { updater, clock, service } = setup({ enabled: true });
    expect(service.state()).toEqual({ phase: 'idle' });
    expect(clock.pending().map((t) => t.delay)).toEqual([FIRST_CHECK_DELAY_MS]);
    clock.advance(FIRST_CHECK_DELAY_MS);
    expect(service.state()).toEqual({ phase: 'checking' });
    updater.answerCheck(null);
    await settle();
    expect(service.state()).toEqual({ phase: 'current', checkedAt: clock.now() });
    expect(clock.pending().map((t) => t.delay)).toEqual([CHECK_PERIOD_MS]);
    clock.advance(CHECK_PERIOD_MS);
    expect(updater.checks).toBe(2);
  });

  it('offers a newer version and downloads it only after the yes, then waits for the restart', async () => {
    const { updater, clock, states, service } = setup({ enabled: true });
    const checked = service.check();
    updater.answerCheck('0.2.0');
    await expect(checked).resolves.toEqual({ phase: 'available', version: '0.2.0' });
    clock.advance(CHECK_PERIOD_MS * 3);
    await settle();
    expect(updater.downloads).toBe(0);

    const downloaded = service.download();
    expect(service.state()).toEqual({ phase: 'downloading', version: '0.2.0', percent: 0 });
    updater.progress(12.7);
    updater.progress(12.9);
    updater.progress(64);
    updater.finishDownload();
    await expect(downloaded).resolves.toEqual({ phase: 'ready', version: '0.2.0' });
    // The offer stayed on screen through the automatic checks' turns; progress moves by whole percents.
    expect(states.map((s) => (s.phase === 'downloading' ? s.percent : s.phase))).toEqual([
      'checking',
      'available',
      0,
      12,
      64,
      'ready'
    ]);
    expect(updater.checks).toBe(1);
    expect(updater.installs).toBe(0);
    service.install();
    expect(updater.installs).toBe(1);
  });

  it('does not check while a download runs or an update is ready', async () => {
    const { updater, service } = setup({ enabled: true });
    const first = service.check();
    updater.answerCheck('0.2.0');
    await first;
    const downloaded = service.download();
    await expect(service.check()).resolves.toMatchObject({ phase: 'downloading' });
    updater.finishDownload();
    await downloaded;
    await expect(service.check()).resolves.toEqual({ phase: 'ready', version: '0.2.0' });
    expect(updater.checks).toBe(1);
  });

  it('remembers "not now" in automatic checks, asks again for a newer version or a manual check', async () => {
    const { updater, clock, service } = setup({ enabled: true });
    const first = service.check();
    updater.answerCheck('0.2.0');
    await first;
    expect(service.postpone()).toEqual({ phase: 'postponed', version: '0.2.0' });

    clock.advance(CHECK_PERIOD_MS);
    updater.answerCheck('0.2.0');
    await settle();
    expect(service.state()).toEqual({ phase: 'postponed', version: '0.2.0' });

    const manual = service.check();
    updater.answerCheck('0.2.0');
    await expect(manual).resolves.toEqual({ phase: 'available', version: '0.2.0' });
    service.postpone();

    clock.advance(CHECK_PERIOD_MS);
    updater.answerCheck('0.3.0');
    await settle();
    expect(service.state()).toEqual({ phase: 'available', version: '0.3.0' });
    expect(updater.downloads).toBe(0);
  });

  it('a postponed version can still be downloaded from the dialog', async () => {
    const { updater, service } = setup({ enabled: true });
    const first = service.check();
    updater.answerCheck('0.2.0');
    await first;
    service.postpone();
    const downloaded = service.download();
    updater.finishDownload();
    await expect(downloaded).resolves.toEqual({ phase: 'ready', version: '0.2.0' });
  });

  it('turning it on checks at once; turning it off stops the checks but keeps a download the user asked for', async () => {
    const { updater, clock, service } = setup({ enabled: false });
    service.setEnabled(true);
    expect(service.state()).toEqual({ phase: 'checking' });
    updater.answerCheck('0.2.0');
    await settle();
    service.setEnabled(false);
    expect(service.state()).toEqual({ phase: 'off' });
    expect(clock.pending()).toEqual([]);

    service.setEnabled(true);
    updater.answerCheck('0.2.0');
    await settle();
    const downloaded = service.download();
    service.setEnabled(false);
    expect(service.state()).toMatchObject({ phase: 'downloading' });
    updater.finishDownload();
    await expect(downloaded).resolves.toEqual({ phase: 'ready', version: '0.2.0' });
    expect(clock.pending()).toEqual([]);
  });

  it('turned off while a check runs, it says off instead of offering the version', async () => {
    const { updater, service } = setup({ enabled: true });
    const checked = service.check();
    service.setEnabled(false);
    updater.answerCheck('0.2.0');
    await expect(checked).resolves.toEqual({ phase: 'off' });
  });

  it('runs one check at a time', async () => {
    const { updater, service } = setup({ enabled: true });
    const a = service.check();
    const b = service.check();
    updater.answerCheck(null);
    expect(await a).toEqual(await b);
    expect(updater.checks).toBe(1);
  });

  it('words a failed check for the user and lets them retry', async () => {
    const { updater, service } = setup({ enabled: true });
    const checked = service.check();
    updater.failCheck(Object.assign(new Error('net::ERR_INTERNET_DISCONNECTED'), {}));
    await expect(checked).resolves.toEqual({
      phase: 'error',
      retry: 'check',
      message: 'Could not reach the release server. Check your internet connection and try again.'
    });
    const again = service.check();
    expect(updater.checkInFlight).toBe(true);
    updater.answerCheck(null);
    await expect(again).resolves.toMatchObject({ phase: 'current' });
  });

  it('words a failed download for the user, and a retry downloads the same version', async () => {
    const { updater, service } = setup({ enabled: true });
    const checked = service.check();
    updater.answerCheck('0.2.0');
    await checked;
    const first = service.download();
    updater.failDownload(
      Object.assign(new Error('sha512 checksum mismatch'), { code: 'ERR_CHECKSUM_MISMATCH' })
    );
    await expect(first).resolves.toEqual({
      phase: 'error',
      retry: 'download',
      version: '0.2.0',
      message: 'The downloaded update did not pass its integrity check and was discarded. Try again later.'
    });
    const second = service.download();
    updater.finishDownload();
    await expect(second).resolves.toEqual({ phase: 'ready', version: '0.2.0' });
    expect(updater.downloads).toBe(2);
  });

  it('refuses to install before a download is ready', async () => {
    const { updater, service } = setup({ enabled: true });
    expect(() => service.install()).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(updater.installs).toBe(0);
  });

  it('says plainly when this copy cannot update itself', async () => {
    const { service, clock } = setup({ enabled: false, updater: null });
    expect(service.state()).toEqual({ phase: 'off' });
    service.setEnabled(true);
    expect(service.state()).toEqual({ phase: 'unavailable', message: UNAVAILABLE_MESSAGE });
    expect(clock.pending()).toEqual([]);
    await expect(service.check()).rejects.toMatchObject({ code: 'NOT_FOUND', message: UNAVAILABLE_MESSAGE });
  });
});
