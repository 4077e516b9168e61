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

export function formatTable(rows: Row[]): string {
  const header = ['metric', 'value', 'target', 'ok'];
  const body = rows.map((r) => [
    r.metric,
    cell(r),
    r.target ?? '—',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'MISSED'
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

export function missed(rows: Row[]): Row[] {
  return rows.filter((r) => r.ok === false);
}
