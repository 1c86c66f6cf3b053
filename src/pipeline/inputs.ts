/** What a run's date means: which files it reads and up to when its windows count as ended. */
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { ConfigError } from '../errors.js';

/** The end of the report day in the report time zone, as a UTC ISO instant: what "as of" a nightly run means. */
export async function endOfReportDay(db: Db, date: string, timezone: string): Promise<string> {
  const iso = await db.value<string>(
    `select strftime(timezone('UTC', timezone($2, cast(cast($1 as date) + interval 1 day as timestamp))), '%Y-%m-%dT%H:%M:%SZ')`,
    [date, timezone],
  );
  return iso!;
}

export function planInputs(config: Config, date?: string): string[] {
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new ConfigError(`--date must be YYYY-MM-DD, got "${date}"`);
  }
  return config.inputs.map((input) => {
    if (!input.includes('{date}')) return input;
    if (!date) throw new ConfigError(`input "${input}" contains {date}: give --date YYYY-MM-DD`);
    return input.replaceAll('{date}', date);
  });
}
