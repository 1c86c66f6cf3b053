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
 * For a CSV file whose records are not one line each, creates the temp tables of lines that are no record's
 * first line, as (line, nth) for lineOfOrdinal: ingest_csv_cont, the lines inside a quoted value spanning lines
 * (which DuckDB's record positions skip), and ingest_csv_skipped, those and every other line no accepted record
 * starts on (blank lines, the first lines of rejected records `bad`, by their record position). A line starts
 * inside a quoted value when the quotes before it are odd in number (an escaped quote is two, keeping the count
 * even), so only lines with an odd number of quotes and blank lines are kept from a second read of the file, and
 * a value opened on line o and closed on the next such line c covers lines o + 1 to c (to the last line if never
 * closed). Measured per 1M lines: 0.3 s, against 1.3 s numbering every line with a window over all of them.
 * False when these lines do not make the records the reader counted (see below): the tables are then not to be used.
 */
export async function csvSkippedLines(db: Db, path: string, bad: string, lines: number, records: number): Promise<boolean> {
  await withInsertionOrder(db, true, () =>
    db.run(
      `create or replace temp table ingest_csv_lines as
       select case when contains(line, '"') then (strlen(line) - strlen(replace(line, '"', ''))) % 2 = 1 else false end as odd,
         line is null as blank
       from read_csv($path, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false,
         auto_detect = false, strict_mode = false, max_line_size = 100000000)`,
      { path },
    ),
  );
  await db.run(`create or replace temp table ingest_csv_marks as
    with marked as (select rowid + 1 as line_no, odd, blank from ingest_csv_lines where odd or blank)
    select line_no, odd, blank,
      coalesce(sum(odd::integer) over (order by line_no rows between unbounded preceding and 1 preceding), 0) % 2 = 1 as inside
    from marked`);
  await db.run(
    `create or replace temp table ingest_csv_cont as
     with opened as (
       select line_no as o, coalesce(lead(line_no) over (order by line_no), $lines) as c, inside
       from ingest_csv_marks where odd
     ),
     cont as (select unnest(range(o + 1, c + 1)) as line from opened where not inside)
     select line, row_number() over (order by line) as nth from cont`,
    { lines },
  );
  await db.run(`create or replace temp table ingest_csv_skipped as
    with skipped as (
      select line from ingest_csv_cont
      union all select line_no from ingest_csv_marks where blank and not inside
      union all select ${lineOfOrdinal('b.line', 'ingest_csv_cont', 0)} from ${bad} b
    )
    select line, row_number() over (order by line) as nth from skipped`);
  // The records these lines make must be the records the reader counted (a blank line is one); they are not when
  // the reader recovered from a broken quote in a rejected record differently from the quote count, and then the
  // caller falls back to one line per record.
  const consistent = await db.value<boolean>(
    `select $lines - (select count(*) from ingest_csv_cont) = 1 + $records + (select count(*) from ingest_csv_marks where blank and not inside)`,
    { lines, records },
  );
  await db.run('drop table ingest_csv_lines; drop table ingest_csv_marks');
  return consistent ?? false;
}
