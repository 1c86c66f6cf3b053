/**
 * How to get per-text results from JavaScript into DuckDB: appender fed with data chunks (what
 * src/db/chunks.ts does) versus writing a temporary CSV file and `insert ... select from read_csv`.
 * `npx tsx bench/bulkWrite.ts [rows]` (default 200,000).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { appendRows } from '../src/db/chunks.js';
import { openDatabase } from '../src/db/database.js';

export async function benchBulkWrite(rows: number): Promise<Record<string, number>> {
  const data: Array<[string, number, string]> = [];
  for (let i = 0; i < rows; i++) data.push([`您好，您的订单${i}已发货, "quoted" text ${i % 97}`, (i % 200) / 100 - 1, i % 3 ? 'neutral' : 'negative']);
  const db = await openDatabase(':memory:');
  try {
    await db.run('create table via_appender (text varchar, score double, label varchar)');
    await db.run('create table via_csv (text varchar, score double, label varchar)');
    const t0 = performance.now();
    await appendRows(db, 'via_appender', data);
    const appender = (performance.now() - t0) / 1000;

    mkdirSync('.bench-cache', { recursive: true });
    const file = '.bench-cache/bulk.csv';
    const t1 = performance.now();
    const quote = (s: string) => '"' + s.replace(/"/g, '""') + '"';
    writeFileSync(file, data.map(([t, s, l]) => `${quote(t)},${s},${l}`).join('\n') + '\n');
    await db.run(
      `insert into via_csv select * from read_csv($1, header = false, columns = {'text': 'varchar', 'score': 'double', 'label': 'varchar'})`,
      [file],
    );
    const csv = (performance.now() - t1) / 1000;
    rmSync(file, { force: true });
    const same = await db.value<number>('select count(*) from (select * from via_appender except select * from via_csv)');
    return {
      rows,
      appender_rows_per_s: Math.round(rows / appender),
      csv_rows_per_s: Math.round(rows / csv),
      rows_differing: Number(same),
    };
  } finally {
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchBulkWrite(Number(process.argv[2] ?? 200_000)), null, 2));
}
