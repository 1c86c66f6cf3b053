/**
 * The ingest summary a QA lead reads in the nightly log: per file what was read, loaded, skipped as a
 * duplicate and quarantined (the three always add up to what was read), with the main reasons.
 */
import type { IngestResult } from './load.js';

function pad(text: string, width: number, right = false): string {
  const visible = [...text].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const fill = ' '.repeat(Math.max(0, width - visible));
  return right ? fill + text : text + fill;
}

export function formatIngestSummary(result: IngestResult): string {
  const header = ['file', 'status', 'read', 'loaded', 'duplicate', 'quarantined'];
  const rows = result.files.map((f) => [
    f.path,
    f.status,
    String(f.rowsRead),
    String(f.rowsLoaded),
    String(f.rowsDuplicate),
    String(f.rowsQuarantined),
  ]);
  const t = result.totals;
  rows.push(['total', '', String(t.rowsRead), String(t.rowsLoaded), String(t.rowsDuplicate), String(t.rowsQuarantined)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 2)).join('  ');
  const out = [line(header), ...rows.map(line)];
  for (const f of result.files) {
    if (f.error) out.push(`  ${f.error}`);
    for (const r of f.topReasons) {
      out.push(`  ${f.path}: ${r.count} × ${r.reason}${r.field ? ` [field ${r.field}]` : ''} (first at line ${r.firstLine ?? '?'})`);
    }
  }
  return out.join('\n');
}
