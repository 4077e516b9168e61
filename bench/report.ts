/** The benchmark's table: one row per metric, with its target and whether it was met. */

export interface Row {
  metric: string;
  /** ms unless unit is 'count'; NaN when it could not be measured. */
  value: number;
  unit?: 'ms' | 'count';
  /** Human-readable target; undefined for rows that only inform. */
  target?: string;
  /** undefined for rows without a target. */
  ok?: boolean;
  /** Shown instead of the number (e.g. "none > 50 ms"). */
  display?: string;
}

function cell(row: Row): string {
  if (row.display !== undefined) return row.display;
  if (Number.isNaN(row.value)) return 'n/a';
  if (row.unit === 'count') return String(Math.round(row.value));
  return `${row.value.toFixed(1)} ${row.unit ?? 'ms'}`;
}

/** A markdown-style table: the first row is the header. */
function formatGrid(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

export function formatTable(rows: Row[]): string {
  return formatGrid(
    ['metric', 'value', 'target', 'ok'],
    rows.map((r) => [r.metric, cell(r), r.target ?? '—', r.ok === undefined ? '' : r.ok ? 'yes' : 'MISSED'])
  );
}

/** One target over several passes of the whole benchmark. */
export interface TargetOverPasses {
  metric: string;
  target: string;
  /** Each pass's cell ('—' where that pass could not measure it). */
  cells: string[];
  /** Passes that met it. */
  metIn: number;
}

export interface PassSummary {
  passes: number;
  /** Passes in which every target was met. */
  allMetIn: number;
  targets: TargetOverPasses[];
}

/**
 * How reliably each target is met: on a small, busy machine the same build meets a target in one pass
 * and misses it in the next, so a single pass says little.
 */
export function summarizePasses(passes: Row[][]): PassSummary {
  // Target rows are matched by their place among a pass's target rows: a metric's label may carry a count.
  const targets: TargetOverPasses[] = [];
  passes.forEach((rows, pass) => {
    rows
      .filter((row) => row.target !== undefined)
      .forEach((row, place) => {
        const entry = (targets[place] ??= {
          metric: row.metric,
          target: row.target!,
          cells: passes.map(() => '—'),
          metIn: 0
        });
        entry.cells[pass] = `${cell(row)}${row.ok === false ? ' ✗' : ''}`;
        if (row.ok) entry.metIn++;
      });
  });
  const allMetIn = passes.filter((rows) => rows.length > 0 && missed(rows).length === 0).length;
  return { passes: passes.length, allMetIn, targets };
}

export function formatPassSummary(summary: PassSummary): string {
  const header = ['target', ...Array.from({ length: summary.passes }, (_, i) => `pass ${i + 1}`), 'met in'];
  const body = summary.targets.map((t) => [
    `${t.metric} (${t.target})`,
    ...t.cells,
    `${t.metIn} of ${summary.passes}`
  ]);
  return (
    `${formatGrid(header, body)}\n` + `Every target met in ${summary.allMetIn} of ${summary.passes} passes.`
  );
}

export function missed(rows: Row[]): Row[] {
  return rows.filter((r) => r.ok === false);
}
