/**
 * The one piece of text templating in the specs: a string field may contain `{name}` and gets the value
 * of that choice in force (e.g. "FCR window {fcrWindow}"). Only whole-word names are recognised, so Vega
 * expressions (which never use `{word}`) pass through; an unknown name is an error, not a blank.
 */
export type PlaceholderValues = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function fillText(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`unknown placeholder ${whole} (known: ${Object.keys(values).sort().join(', ')})`);
    return String(value);
  });
}

/** Fills every string in a JSON value, keys excepted. */
export function fillStrings<T>(value: T, values: PlaceholderValues): T {
  if (typeof value === 'string') return fillText(value, values) as T;
  if (Array.isArray(value)) return value.map((item) => fillStrings(item, values)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillStrings(v, values)])) as T;
  }
  return value;
}

/** Every string inside a JSON value, for checks that all placeholders are known. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
