/**
 * A JavaScript string -> string function callable from SQL, so text leaving DuckDB through SQL alone
 * (COPY ... TO 'x.parquet' / 'x.csv', marts with example text) can pass the same JS code as every other
 * writer. NULL in gives NULL out without calling `fn`.
 */
import { DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import type { Db } from './database.js';

export function registerStringFunction(db: Db, name: string, fn: (text: string) => string): void {
  db.connection.registerScalarFunction(
    DuckDBScalarFunction.create({
      name,
      returnType: VARCHAR,
      parameterTypes: [VARCHAR],
      mainFunction: (_info, input, output) => {
        const column = input.getColumnVector(0);
        for (let row = 0; row < input.rowCount; row++) {
          const value = column.getItem(row);
          output.setItem(row, value === null ? null : fn(String(value)));
        }
        output.flush();
      },
    }),
  );
}
