/**
 * Where "Check for updates" stands, as the Settings dialog shows it. Main's UpdateService owns the
 * flow; the window only renders this and sends the user's answers.
 */
export type UpdateState =
  /** The setting is off: nothing is checked or downloaded. */
  | { phase: 'off' }
  /** A build that cannot update itself (run from source, the test harness). */
  | { phase: 'unavailable'; message: string }
  /** On, and the first check has not run yet. */
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'current'; checkedAt: number }
  /** A newer version was found: the user is asked before anything is downloaded. */
  | { phase: 'available'; version: string }
  /** The user said "not now" to this version; automatic checks do not ask about it again. */
  | { phase: 'postponed'; version: string }
  | { phase: 'downloading'; version: string; percent: number }
  /** Downloaded and verified: it installs when the user restarts (or at the next quit). */
  | { phase: 'ready'; version: string }
  /** `message` is worded for the user; `retry` says which step a retry repeats. */
  | { phase: 'error'; message: string; retry: 'check' | 'download'; version?: string };

export type UpdatePhase = UpdateState['phase'];
