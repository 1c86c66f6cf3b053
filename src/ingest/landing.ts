/**
 * Reads one input file with DuckDB's native readers as a landing (see Landing): one row per input record,
 * every canonical field as text, unknown fields kept as JSON, the physical position (line or row) and any
 * parse error. Validation and typing happen afterwards, in one place for all formats.
 */
import { listParam, quoteIdent, type Db, type SqlValue } from '../db/database.js';
import { withInsertionOrder } from '../db/insertionOrder.js';
import { InputError } from '../errors.js';
import type { InputFile } from './discover.js';
import { jsonErrorLine } from './jsonErrorLine.js';
import { countLines, csvSkippedLines, lineOfOrdinal } from './lineNumbers.js';
import { headBytes, withLfLineEnds, withUtf8Text } from './transcode.js';
import { CANONICAL_FIELDS, INHERITED_FIELDS, NESTED_ARRAYS, sourceNames, type CanonicalField } from './fields.js';

/** The bytes to read: the file itself, or its UTF-8 copy. */
const readPathOf = (file: InputFile): string => file.readPath ?? file.path;

const LANDING_COLUMNS = CANONICAL_FIELDS.map((f) => `${f} varchar`).join(', ');

export async function createLanding(db: Db): Promise<void> {
  await db.run(`create or replace temp table ingest_landing (
    line_no bigint, src_path varchar, kind_hint varchar, parse_error varchar, parse_field varchar,
    ${LANDING_COLUMNS}, extra json, excerpt varchar)`);
}

/**
 * The records of one file as a relation: a select (with its named parameters) yielding one row per record, every
 * canonical field as text, unknown fields as JSON, the physical position and any parse error. For plain JSON
 * Lines it parses the stored lines (temp table ingest_lines), so typing parses each line once without a
 * stored copy of the parsed fields; the other readers fill the temp table ingest_landing and it reads that.
 */
export interface Landing {
  format: string;
  sql: string;
  params: Record<string, SqlValue>;
  /**
   * Counts the records read without going through typing (so a typing step that lost or doubled rows
   * fails the reconciliation instead of passing it).
   */
  countSql: string;
}

const LANDING_TABLE = { sql: 'select * from ingest_landing', params: {}, countSql: 'select count(*) from ingest_landing' };

/** The first bytes of a (possibly gzipped) file as text; enough to sniff JSON shape or a CSV header. */
async function head(file: InputFile, bytes = 64 * 1024): Promise<string> {
  return (await headBytes(file, bytes)).toString('utf8');
}

/**
 * Common tail for every JSON source: `src` is a relation (line_no, src_path, kind_hint, j, parent,
 * parse_error, excerpt) with `j` the record's JSON text (NULL when unparseable). One json_transform per
 * record extracts every source field as text; a second, cheaper one only lists the record's keys to count
 * them (NULL when it is not an object), so the rare record with keys beyond the known ones is found without listing
 * every record's keys, and only it gets its extras (as JSON values) computed.
 */
function jsonRecordsSql(srcSql: string, columns: Record<string, string>, nested: boolean): Pick<Landing, 'sql' | 'params'> {
  const names = sourceNames(columns);
  // Nested keys are known (expanded into child records) only when nesting is expanded; otherwise they are extras,
  // so a nested record missed by detection keeps its children as data instead of losing them.
  const known = [...new Set([...[...names.values()].flat(), ...(nested ? NESTED_ARRAYS.map((n) => n.key) : [])])];
  const structure = JSON.stringify(Object.fromEntries(known.map((name) => [name, 'VARCHAR'])));
  const fieldExprs = CANONICAL_FIELDS.map((field: CanonicalField) => {
    const sources = names.get(field)!.map((name) => `s.${quoteIdent(name)}`);
    if (nested && INHERITED_FIELDS.includes(field)) sources.push(`ps.${quoteIdent(field)}`);
    // No source at all when the user mapped a field of this name elsewhere (fields.ts sourceNames).
    const value = sources.length > 1 ? `coalesce(${sources.join(', ')})` : (sources[0] ?? 'null::varchar');
    return `${value} as ${field}`;
  });
  // A known key holding JSON null (or given twice) counts as a key but not as a present field, which only
  // sends the record through the exact extras computation, never loses an extra.
  const knownPresent = known.map((name) => `(s.${quoteIdent(name)} is not null)::integer`).join(' + ');
  const extraKeys = `list_filter(json_keys(j), k -> not list_contains($known_keys, k))`;
  const sql = `
     with src as (${srcSql}),
     shaped as (
       select *, json_transform(j, $structure) as s,
         -- Valid JSON starting with '{' is an object; only other records pay for the exact test.
         case when starts_with(j, '{') or json_type(j) = 'OBJECT' then len(json_keys(j)) end as key_count
         ${nested ? `, json_transform(parent, $structure) as ps` : ''}
       from src
     ),
     checked as (
       select *,
         coalesce(parse_error, case when j is not null and key_count is null then 'record is not a JSON object' end) as problem,
         key_count > ${knownPresent} as may_have_extras
       from shaped
     )
     select line_no, src_path, kind_hint, problem as parse_error, case when problem is not null then 'line' end as parse_field,
       ${fieldExprs.join(',\n       ')},
       case when may_have_extras and len(${extraKeys}) > 0
         then to_json(map_from_entries(list_transform(${extraKeys}, k -> struct_pack(k := k, v := j::json -> k)))) end as extra,
       coalesce(excerpt, case when problem is not null then left(j, 500) end) as excerpt
     from checked`;
  return { sql, params: { structure, known_keys: listParam(known) } };
}

async function landJsonRecords(db: Db, srcSql: string, columns: Record<string, string>, nested: boolean): Promise<void> {
  const { sql, params } = jsonRecordsSql(srcSql, columns, nested);
  await db.run(`insert into ingest_landing ${sql}`, params);
}

/** Records of a JSON source, with nested per-conversation arrays expanded into child records. */
function expandNested(recordsSql: string, nested: boolean): string {
  if (!nested) {
    return `select line_no, null::varchar as src_path, null::varchar as kind_hint, j, null::varchar as parent, parse_error, excerpt
            from (${recordsSql})`;
  }
  const isNested = NESTED_ARRAYS.map((n) => `json_exists(j, '$.${n.key}')`).join(' or ');
  const children = NESTED_ARRAYS.map(
    (n) => `
      select r.line_no, '${n.key}[' || e.key || ']', '${n.kind}', e.value::varchar, r.j, null, null
      from recs r, json_each(r.j, '$.${n.key}') e
      where r.parse_error is null and json_type(r.j, '$.${n.key}') = 'ARRAY'
      union all
      select r.line_no, '${n.key}', '${n.kind}', (r.j -> '$.${n.key}')::varchar, r.j, null, null
      from recs r
      where r.parse_error is null and json_type(r.j, '$.${n.key}') = 'OBJECT'`,
  ).join('\n      union all');
  return `
    with recs as (${recordsSql})
    select line_no, null::varchar as src_path,
      case when parse_error is null and json_type(j) = 'OBJECT' and (${isNested}) then 'conversation' end as kind_hint,
      j, null::varchar as parent, parse_error, excerpt
    from recs
    union all ${children}`;
}

/** A line that holds something: valid JSON never is blank, so the costly trim runs only on broken lines. */
const NON_BLANK_LINE = `line is not null and (is_valid or trim(line) <> '')`;

/**
 * The lines of a JSON Lines file, read as one text column so a broken line is one quarantined row, not a
 * failed file. Stored in file order (a scan of one table function keeps its order under DuckDB's
 * preserve_insertion_order, asked for here since ingest relaxes it elsewhere: src/db/insertionOrder.ts), so the
 * stored table's rowid is the physical line number less one, blank lines included, which read_json cannot give.
 * WITH ORDINALITY gives the same number but holds the read to one thread (1.9-2.5 s against 1.2-1.4 s per 2.9M
 * lines).
 */
function linesOfPath(readerOptions = ''): string {
  return `
  select line, json_valid(line) as is_valid
  from read_csv($path, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false,
                auto_detect = false, strict_mode = false, max_line_size = 100000000${readerOptions})`;
}

/** The stored lines with their physical line numbers and any problem found reading them. */
const STORED_LINES = 'select rowid + 1 as line_no, line, is_valid, null::varchar as problem from ingest_lines';

/** The same, for lines stored with their numbers because some could not be read (storeLinesNotUtf8). */
const NUMBERED_LINES = 'select line_no, line, is_valid, problem from ingest_lines';

function lineRecords(lines: string): string {
  return `
    select line_no,
      case when is_valid then line end as j,
      case when not is_valid then coalesce(problem, 'broken JSON line') end as parse_error,
      -- Only an unparseable line keeps its raw text; a parsed record is quoted from its fields if quarantined.
      case when not is_valid then left(line, 500) end as excerpt
    from (${lines})
    where ${NON_BLANK_LINE}`;
}

/** DuckDB's refusal of bytes that are not UTF-8. */
const NOT_UTF8 = /not utf-8 encoded/i;

/**
 * Stores the lines of a file in which some are not UTF-8 (DuckDB refuses the whole file at the first): each such
 * line becomes a broken line with the reason, at its own line number (its bytes shown as '?'), the others are read
 * as usual. Only run once the plain read failed, so a clean file pays nothing for it.
 */
async function storeLinesNotUtf8(db: Db, file: InputFile): Promise<void> {
  await db.run('drop table if exists ingest_lines_rejects; drop table if exists ingest_lines_scans');
  await withInsertionOrder(db, true, () =>
    db.run(
      `create or replace temp table ingest_lines_read as
       ${linesOfPath(", store_rejects = true, rejects_table = 'ingest_lines_rejects', rejects_scan = 'ingest_lines_scans'")}`,
      { path: readPathOf(file) },
    ),
  );
  await db.run(`create or replace temp table ingest_lines_bad as
    select line, row_number() over (order by line) as nth, first(csv_line) as text, bool_and(error_type = 'INVALID ENCODING') as encoding
    from ingest_lines_rejects group by line`);
  await db.run(
    `create or replace temp table ingest_lines as
     select ${lineOfOrdinal('r.rowid + 1', 'ingest_lines_bad', 0)} as line_no, line, is_valid, null::varchar as problem from ingest_lines_read r
     union all
     select line, trim(text, chr(10) || chr(13)), false, case when encoding then 'invalid UTF-8: ' || $hint else 'unreadable line' end
     from ingest_lines_bad`,
    { hint: ENCODING_HINT },
  );
  await db.run('drop table ingest_lines_read; drop table ingest_lines_bad; drop table ingest_lines_rejects; drop table ingest_lines_scans');
}

async function landJsonLines(db: Db, file: InputFile, columns: Record<string, string>, forceNested = false): Promise<Landing> {
  // Stored first: line numbers come from the stored order, and typing then runs over a table on every core.
  let storedLines = STORED_LINES;
  try {
    await withInsertionOrder(db, true, () => db.run(`create or replace temp table ingest_lines as ${linesOfPath()}`, { path: readPathOf(file) }));
  } catch (error) {
    const message = (error as Error).message;
    if (!NOT_UTF8.test(message)) throw new InputError(`${file.path}: cannot be read as JSON Lines (${firstLineOf(message)})`);
    await storeLinesNotUtf8(db, file);
    storedLines = NUMBERED_LINES;
  }
  // The first lines tell a nested file at once; a nested record further down is found after typing (nestingMissed).
  const nested =
    forceNested ||
    ((await db.value<boolean>(
      `select coalesce(bool_or(${NESTED_ARRAYS.map((n) => `json_exists(line, '$.${n.key}')`).join(' or ')}), false)
       from (select line from ingest_lines where is_valid limit 1000)`,
    )) ?? false);
  const records = expandNested(lineRecords(storedLines), nested);
  if (!nested) {
    // One record per line: typing reads the records straight from the lines, without a wide stored copy.
    return {
      format: 'jsonl', ...jsonRecordsSql(records, columns, false),
      countSql: `select count(*) from ingest_lines where ${NON_BLANK_LINE}`,
    };
  }
  await createLanding(db);
  await landJsonRecords(db, records, columns, true);
  await db.run('drop table ingest_lines');
  return { format: 'jsonl (nested)', ...LANDING_TABLE };
}

async function landJsonDocument(db: Db, file: InputFile, columns: Record<string, string>): Promise<Landing> {
  const start = (await head(file)).trimStart();
  if (start.startsWith('{')) {
    const firstLine = start.split('\n', 1)[0]!.trim();
    try {
      JSON.parse(firstLine);
      return landJsonLines(db, file, columns);
    } catch {
      // a pretty-printed object (or several): read as documents below
    }
  }
  const shape = start.startsWith('[') ? 'array' : 'unstructured';
  try {
    await withInsertionOrder(db, true, () =>
      db.run(`create or replace temp table ingest_docs as select json as line from read_json_objects($1, format = '${shape}')`, [readPathOf(file)]),
    );
  } catch (error) {
    const line = await syntaxErrorLine(file);
    throw new InputError(`${file.path}: not valid JSON${line ? ` at line ${line}` : ''} (${firstLineOf((error as Error).message)})`);
  }
  // Stored in document order, like the lines of a JSON Lines file: rowid + 1 is the record number.
  const records = `select rowid + 1 as line_no, line::varchar as j, null::varchar as parse_error, null::varchar as excerpt from ingest_docs`;
  await createLanding(db);
  await landJsonRecords(db, expandNested(records, true), columns, true);
  await db.run('drop table ingest_docs');
  return { format: `json (${shape === 'array' ? 'array' : 'documents'}; line = record number)`, ...LANDING_TABLE };
}

/** Files up to this size are parsed once more to say on which line their JSON breaks. */
const LOCATE_ERROR_MAX_BYTES = 64 * 2 ** 20;

/** The line of a JSON document file's first syntax error, when it is small enough to look for it. */
async function syntaxErrorLine(file: InputFile): Promise<number | undefined> {
  const bytes = await headBytes(file, LOCATE_ERROR_MAX_BYTES + 1);
  return bytes.length > LOCATE_ERROR_MAX_BYTES ? undefined : jsonErrorLine(bytes.toString('utf8'));
}

/** The first line of a DuckDB error; when the bytes are not UTF-8, what to do about it (ingest.encoding). */
function firstLineOf(message: string): string {
  const first = message.split('\n')[0]!.slice(0, 300);
  return /not utf-8 encoded/i.test(message) ? `${first}: ${ENCODING_HINT}` : first;
}

const ENCODING_HINT = 'the file is not UTF-8; set ingest.encoding to the encoding it was saved in (e.g. gb18030 for Excel on Chinese Windows)';

/** Splits a CSV header line (quotes honoured) with the given delimiter. */
export function splitHeader(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

function guessDelimiter(headerLine: string, path: string): string {
  if (/\.tsv(\.gz)?$/i.test(path)) return '\t';
  const candidates = [',', '\t', ';', '|'];
  return candidates.reduce((best, d) => (headerLine.split(d).length > headerLine.split(best).length ? d : best), ',');
}

/** A column of a user file: its name, and how SQL refers to it (never the name pasted in for a CSV header). */
interface SourceColumn {
  name: string;
  ref: string;
}

/**
 * Columns of a user file mapped onto canonical fields; the rest become `extra`, their names bound as parameters
 * (`params`), so no text from the file is ever part of the SQL.
 */
function mapColumns(columns: SourceColumn[], columnsConfig: Record<string, string>) {
  const names = sourceNames(columnsConfig);
  const bySource = new Map<string, CanonicalField>();
  for (const [field, sources] of names) for (const s of sources) bySource.set(s.toLowerCase(), field);
  const perField = new Map<CanonicalField, SourceColumn[]>();
  const extras: SourceColumn[] = [];
  for (const col of columns) {
    const field = bySource.get(col.name.toLowerCase());
    if (field) perField.set(field, [...(perField.get(field) ?? []), col]);
    else extras.push(col);
  }
  const fieldExprs = CANONICAL_FIELDS.map((field) => {
    const cols = perField.get(field) ?? [];
    if (cols.length === 0) return `null::varchar as ${field}`;
    return `coalesce(${cols.map((c) => `cast(${c.ref} as varchar)`).join(', ')}) as ${field}`;
  });
  const extraExpr = extras.length
    ? `case when coalesce(${extras.map((c) => c.ref + '::varchar').join(', ')}) is not null
        then json_object(${extras.map((c, i) => `$extra_name_${i}::varchar, ${c.ref}`).join(', ')}) end`
    : 'null::json';
  const params = Object.fromEntries(extras.map((c, i) => [`extra_name_${i}`, c.name]));
  return { fieldExprs, extraExpr, params };
}

/**
 * The names of a CSV header's columns. An empty name (the index column pandas' to_csv() writes first, or the
 * column a trailing delimiter makes) is named by its position, `column1` for the first, as DuckDB's reader would,
 * so its values are kept as an extra like any unknown column.
 */
export function csvColumnNames(header: string[]): string[] {
  const taken = new Set(header.map((n) => n.toLowerCase()));
  return header.map((name, i) => {
    if (name !== '') return name;
    let generated = `column${i + 1}`;
    while (taken.has(generated)) generated += '_';
    taken.add(generated);
    return generated;
  });
}

/** DuckDB's CSV reader's whole-file refusal, which lines ending both in CRLF and in LF cause. */
const CSV_STATE_MACHINE_ERROR = /state machine reached an invalid state/i;

async function landCsv(db: Db, file: InputFile, columnsConfig: Record<string, string>, lineEndsMadeLf = false): Promise<Landing> {
  const headerLine = (await head(file)).split(/\r?\n/, 1)[0] ?? '';
  if (!headerLine.trim()) throw new InputError(`${file.path}: empty CSV (no header row)`);
  const delimiter = guessDelimiter(headerLine, file.path);
  const columnNames = csvColumnNames(splitHeader(headerLine.replace(/^\uFEFF/, ''), delimiter));
  const dupes = columnNames.filter((c, i) => columnNames.indexOf(c) !== i);
  if (dupes.length) throw new InputError(`${file.path}: header names column "${dupes[0]}" twice`);
  // The reader names the columns c0, c1, ...: the header's names stay out of the SQL (mapColumns binds them).
  const columns = columnNames.map((name, i) => ({ name, ref: `c${i}` }));
  const { fieldExprs, extraExpr, params } = mapColumns(columns, columnsConfig);
  const columnsStruct = '{' + columns.map((c) => `'${c.ref}': 'VARCHAR'`).join(', ') + '}';
  await db.run('drop table if exists ingest_csv_rejects; drop table if exists ingest_csv_scans');
  // Counted beside the read: whether every record is one line, which makes line numbers simple (lineNumbers.ts).
  const physicalLines = countLines(file);
  physicalLines.catch(() => undefined); // awaited below unless the read fails first
  try {
    await db.run(
      `create or replace temp table ingest_csv as
       select * from read_csv($1, columns = ${columnsStruct}, header = true, delim = $2, quote = '"', escape = '"',
         auto_detect = false, store_rejects = true, rejects_table = 'ingest_csv_rejects',
         rejects_scan = 'ingest_csv_scans', max_line_size = 100000000) with ordinality`,
      [readPathOf(file), delimiter],
    );
  } catch (error) {
    const message = (error as Error).message;
    if (!lineEndsMadeLf && CSV_STATE_MACHINE_ERROR.test(message)) {
      return withLfLineEnds(file, (copy) => landCsv(db, copy, columnsConfig, true));
    }
    throw new InputError(`${file.path}: cannot be read as CSV (${firstLineOf(message)})`);
  }
  // One rejected record may carry several errors; it is one row read, quarantined once.
  // The reader knows the columns as c0, c1, ...: a rejected value is reported under its header name.
  await db.run(`create or replace temp table ingest_csv_bad as
    select line, list_extract($names, first(substr(column_name, 2)::integer + 1 order by column_idx)) as column_name,
      first(error_type || ': ' || error_message order by column_idx) as problem, first(csv_line) as csv_line,
      row_number() over (order by line) as nth
    from ingest_csv_rejects group by line`, { names: listParam(columnNames) });
  // Physical line of an accepted record: its ordinal + header + the lines before it no accepted record starts on;
  // when every record is one line (JavaScript counted the lines), those are only the rejected records' lines, which
  // DuckDB's record positions then are. Not rowid as for JSON: the reader's row order is not kept here.
  const recordsRead = (await db.value<number>('select (select count(*) from ingest_csv) + (select count(*) from ingest_csv_bad)')) ?? 0;
  const lines = await physicalLines;
  // A broken quote the reader recovered from can leave the lines unexplained: then numbered as one line per record,
  // exact up to that record.
  const oneLineEach =
    lines === 1 + Number(recordsRead) || !(await csvSkippedLines(db, readPathOf(file), 'ingest_csv_bad', lines, Number(recordsRead)));
  await db.run(
    `insert into ingest_landing
     select ${lineOfOrdinal('c.ordinality', oneLineEach ? 'ingest_csv_bad' : 'ingest_csv_skipped', 1)},
       null, null, null, null, ${fieldExprs.join(', ')}, ${extraExpr}, null
     from ingest_csv c`,
    params,
  );
  await db.run(
    `insert into ingest_landing (line_no, parse_error, parse_field, excerpt)
     select ${oneLineEach ? 'line' : lineOfOrdinal('b.line', 'ingest_csv_cont', 0)}, 'unreadable CSV row (' || problem || ')'
         || case when problem ilike '%not utf-8 encoded%' then ': ' || $1 else '' end,
       coalesce(column_name, 'line'), left(csv_line, 500)
     from ingest_csv_bad b`,
    [ENCODING_HINT],
  );
  await db.run(`drop table ingest_csv; drop table ingest_csv_bad; drop table if exists ingest_csv_rejects; drop table if exists ingest_csv_scans;
    drop table if exists ingest_csv_cont; drop table if exists ingest_csv_skipped`);
  return { format: delimiter === '\t' ? 'tsv' : 'csv', ...LANDING_TABLE };
}

async function landParquet(db: Db, file: InputFile, columnsConfig: Record<string, string>): Promise<Landing> {
  let columns: SourceColumn[];
  try {
    const described = await db.all<{ column_name: string }>(`describe select * from read_parquet($path)`, { path: readPathOf(file) });
    columns = described.map((r) => ({ name: r.column_name, ref: quoteIdent(r.column_name) }));
  } catch (error) {
    throw new InputError(`${file.path}: cannot be read as Parquet (${firstLineOf((error as Error).message)})`);
  }
  const { fieldExprs, extraExpr, params } = mapColumns(columns, columnsConfig);
  await db.run(
    `insert into ingest_landing
     select file_row_number + 1, null, null, null, null, ${fieldExprs.join(', ')}, ${extraExpr}, null
     from read_parquet($path, file_row_number = true)`,
    { ...params, path: readPathOf(file) },
  );
  return { format: 'parquet (line = row number)', ...LANDING_TABLE };
}

/**
 * Lands one file: see Landing. Call dropLanding once the landing has been typed. `encoding` is the text encoding
 * of a JSON or CSV file (ingest.encoding); other than UTF-8, the file is read through a UTF-8 copy.
 */
export async function landFile(
  db: Db, file: InputFile, columns: Record<string, string>, encoding = 'utf-8', nested = false,
): Promise<Landing> {
  await dropLanding(db);
  return withUtf8Text(file, encoding, (readable) => landReadable(db, readable, columns, nested));
}

async function landReadable(db: Db, file: InputFile, columns: Record<string, string>, nested: boolean): Promise<Landing> {
  switch (file.format) {
    case 'jsonl':
      return landJsonLines(db, file, columns, nested);
    case 'json':
      return landJsonDocument(db, file, columns);
    case 'csv':
      await createLanding(db);
      return landCsv(db, file, columns);
    case 'parquet':
      await createLanding(db);
      return landParquet(db, file, columns);
  }
}

/**
 * Whether typing a JSON Lines file read as flat found a nested record the first lines did not show: its nested
 * key is then one of its extras (jsonRecordsSql), which only records with unknown keys have, so the test reads
 * few values and no line is parsed twice unless one is found. The file is then landed again with nesting
 * expanded (`nested` of landFile). Reads validate.ts's typed records (ingest_typed), which keep `extra`.
 */
export async function nestingMissed(db: Db, landed: Landing): Promise<boolean> {
  if (landed.format !== 'jsonl') return false;
  return (
    (await db.value<boolean>(
      `select exists (select 1 from ingest_typed
       where extra is not null and (${NESTED_ARRAYS.map((n) => `json_exists(extra, '$.${n.key}')`).join(' or ')}))`,
    )) ?? false
  );
}

export async function dropLanding(db: Db): Promise<void> {
  await db.run('drop table if exists ingest_landing; drop table if exists ingest_lines');
}
