/**
 * The line of the first syntax error in JSON text of one or more documents (a pretty-printed array, or objects one
 * after another). DuckDB's JSON reader says where only as a byte inside a record it counts its own way ("at byte 73
 * in record/value 3"), which a user cannot find in the file; JavaScript's parser gives a position in the text.
 */
export function jsonErrorLine(text: string): number | undefined {
  const body = text.replace(/^\uFEFF/, '');
  let start = 0;
  for (;;) {
    const rest = body.slice(start);
    if (rest.trim() === '') return undefined;
    try {
      JSON.parse(rest);
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      // One whole document ends there and the next begins: go on from it.
      const next = /non-whitespace character after JSON at position (\d+)/.exec(message);
      if (next && Number(next[1]) > 0) {
        start += Number(next[1]);
        continue;
      }
      const at = /at position (\d+)/.exec(message);
      return lineAt(body, at ? start + Number(at[1]) : body.length);
    }
  }
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < position; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
