/**
 * Physical line numbers for records DuckDB's CSV reader returns without them. Its rejects table numbers a
 * rejected record by its position among all records (blank lines counted, a record spanning lines counted once),
 * and an accepted record has only its ordinal among the accepted ones. Where every record is one line (JSON Lines
 * read as lines; a CSV without blank lines or values spanning lines) both are physical lines once the rejected
 * records before an accepted one are added back; otherwise the line where each record starts is found from the
 * lines themselves (csvRecordStarts).
 */
import type { Db } from '../db/database.js';
import { withInsertionOrder } from '../db/insertionOrder.js';
import type { InputFile } from './discover.js';
import { openBytes } from './transcode.js';

/**
 * The number of lines of the file the reader sees (a last line without a line end counts). Read by JavaScript
 * while DuckDB's threads read the same bytes, it costs no time of theirs.
 */
export async function countLines(file: InputFile): Promise<number> {
  const { source, stream } = openBytes(file);
  let lines = 0;
  let last = 10;
  try {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
      if (bytes.length) last = bytes[bytes.length - 1]!;
    }
  } finally {
    source.destroy();
  }
  return last === 10 ? lines : lines + 1;
}

/**
 * SQL: the physical line of the accepted record with 1-based `ordinal`, when every record is one line. `bad` is a
 * table (line, nth) of the rejected records' lines and their rank; `before` counts the lines before the first
 * record (a CSV header).
 */
export function lineOfOrdinal(ordinal: string, bad: string, before: number): string {
  return `(${ordinal} + ${before} + (select count(*) from ${bad} b where b.line - ${before} - b.nth < ${ordinal}))`;
}

/**
 * Creates temp table ingest_csv_accepted (ordinal, line_no): the physical line of each accepted record of a CSV
 * file whose records are not one line each, from the lines themselves (CSV_RECORD_STARTS). `bad` holds the
 * rejected records' positions (line) as the reader numbers them. Costs a second read of the file, so only run
 * when countLines says the records are not one line each.
 */
export async function csvAcceptedLines(db: Db, path: string, bad: string): Promise<void> {
  await withInsertionOrder(db, true, () =>
    db.run(
      `create or replace temp table ingest_csv_lines as
       select line from read_csv($path, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false,
         auto_detect = false, strict_mode = false, max_line_size = 100000000)`,
      { path },
    ),
  );
  await db.run(CSV_RECORD_STARTS);
  await db.run(`create or replace temp table ingest_csv_accepted as
    select row_number() over (order by record) as ordinal, line_no
    from ingest_csv_starts where record > 1 and not blank and record not in (select line from ${bad})`);
  await db.run('drop table ingest_csv_lines');
}

/**
 * SQL creating temp table ingest_csv_starts (record, line_no, blank): for each record as DuckDB's reader counts
 * them (the header is record 1, a blank line is a record), the physical line it starts on. A line starts a record
 * when the quotes before it are even in number (an escaped quote is two, so it keeps the count even); the lines
 * are in temp table ingest_csv_lines, stored in file order (rowid + 1 is the line number, a blank line NULL).
 */
export const CSV_RECORD_STARTS = `
  create or replace temp table ingest_csv_starts as
  with counted as (
    select rowid + 1 as line_no, line is null as blank,
      coalesce(sum(length(line) - length(replace(line, '"', ''))) over (order by rowid rows between unbounded preceding and 1 preceding), 0) as quotes_before
    from ingest_csv_lines
  )
  select row_number() over (order by line_no) as record, line_no, blank from counted where quotes_before % 2 = 0`;
