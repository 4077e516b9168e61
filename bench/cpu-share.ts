/**
 * Who used the machine's CPU during a measured stretch: the page's main thread, the rest of Chromium
 * (browser, compositor, raster, GPU processes), this process (the harness, i.e. the app's core, and
 * Playwright's client) and the fake server. The bench runs all of them on one machine; on a small one
 * they compete, and a long task is often the page's thread waiting for a core. These rows show it.
 *
 * Linux only (/proc); elsewhere `cpuSnapshot` returns null and the rows are left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** /proc reports CPU time in clock ticks of USER_HZ, which is 100 on every Linux architecture. */
const MS_PER_TICK = 10;

type Part = 'pageMain' | 'chromiumRest' | 'benchProcess' | 'fake';

export interface CpuSnapshot {
  at: number;
  /** CPU ms per thread (`pid:tid`), with the part of the bench it belongs to. */
  threads: Map<string, { part: Part; ms: number }>;
}

export interface CpuShares {
  wallMs: number;
  /** Cores × wall time: all the CPU there was. */
  capacityMs: number;
  pageMainMs: number;
  chromiumRestMs: number;
  benchProcessMs: number;
  fakeMs: number;
}

interface ProcStat {
  ppid: number;
  ticks: number;
}

/** Fields of /proc/…/stat after the command name, which may itself hold spaces and parentheses. */
function readStat(path: string): ProcStat | null {
  try {
    const text = readFileSync(path, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12])
    };
  } catch {
    return null; // the process or thread ended meanwhile
  }
}

function isRenderer(pid: number): boolean {
  try {
    // Chromium rewrites its command line (one string with spaces), so look for the switch anywhere.
    return /(^|[\s\0])--type=renderer([\s\0]|$)/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/** CPU time so far of every thread of this process, the fake's, and every process started below us. */
export function cpuSnapshot(fakePid: number | undefined): CpuSnapshot | null {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return null;
  }
  const parentOf = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat) parentOf.set(pid, stat.ppid);
  }
  const below = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) {
      if (p === process.pid) return true;
    }
    return false;
  };
  const threads = new Map<string, { part: Part; ms: number }>();
  for (const pid of pids) {
    let part: Part | null = null;
    if (pid === process.pid) part = 'benchProcess';
    else if (pid === fakePid) part = 'fake';
    // Everything else this process started is Chromium (the fake starts no process of its own).
    else if (below(pid)) part = 'chromiumRest';
    if (part === null) continue;
    const renderer = part === 'chromiumRest' && isRenderer(pid);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const stat = readStat(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      // A renderer's main thread is the thread whose id is the process id.
      const threadPart: Part = renderer && Number(tid) === pid ? 'pageMain' : part;
      threads.set(`${pid}:${tid}`, { part: threadPart, ms: stat.ticks * MS_PER_TICK });
    }
  }
  return { at: performance.now(), threads };
}

/** CPU each part used between two snapshots (threads that came and went in between are not seen). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuShares {
  const used: Record<Part, number> = { pageMain: 0, chromiumRest: 0, benchProcess: 0, fake: 0 };
  for (const [key, thread] of after.threads) {
    used[thread.part] += thread.ms - (before.threads.get(key)?.ms ?? 0);
  }
  const wallMs = after.at - before.at;
  return {
    wallMs,
    capacityMs: wallMs * cpus().length,
    pageMainMs: used.pageMain,
    chromiumRestMs: used.chromiumRest,
    benchProcessMs: used.benchProcess,
    fakeMs: used.fake
  };
}
