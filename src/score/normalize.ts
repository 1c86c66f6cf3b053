/**
 * The default text normaliser for template clustering: masks what changes between two pastes of the same
 * canned reply (order numbers, amounts, dates, phone numbers, names in greetings) so they hash alike.
 * Callers pass any `normalize: (text) => string`; the PII redactor can be plugged in the same way.
 */
export type Normalizer = (text: string) => string;

const MASKS: ReadonlyArray<[RegExp, string]> = [
  [/https?:\/\/\S+/gi, '<url>'],
  [/[\w.+-]+@[\w-]+\.[\w.-]+/g, '<email>'],
  // Order numbers and tracking codes: runs mixing letters and digits, or long digit runs.
  [/\b(?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]{6,}\b/g, '<id>'],
  [/\d+(?:[.,:]\d+)*/g, '#'],
  // Names in greetings and sign-offs: 张先生 / 李女士 / 客服小王 / "Hi John".
  [/[\u4e00-\u9fff](先生|女士|小姐|同学)/g, '某$1'],
  [/(客服|我是|工号)[\u4e00-\u9fff]{1,2}(?=[，,。!！\s]|为您|很高兴)/g, '$1某'],
  [/\b(Hi|Hello|Dear|Hey|Thanks|Thank you),?\s+[A-Z][a-z]+/g, '$1 <name>'],
];

export function maskVariableParts(text: string): string {
  let out = foldFullWidth(text);
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Full-width letters and digits ("１２３１５", "ＡＧＥＮＴ", U+FF10-FF19, U+FF21-FF3A, U+FF41-FF5A) as their
 * ASCII forms. Each maps one UTF-16 unit to one, so every offset into the result is the same offset into
 * `text`: the analyzer matches phrases on the folded text and reports spans and matched text of the
 * original. Full-width punctuation (，！？) is left alone: it is ordinary Chinese punctuation, which the
 * catalogs and clause rules already know in both widths, and folding it would copy nearly every text.
 * Returns `text` itself, without copying, when it holds no full-width letter or digit (nearly every text).
 */
export function foldFullWidth(text: string): string {
  // The engine's character-class search is several times faster than a charCodeAt loop over every text.
  const first = text.search(FULL_WIDTH_ALNUM);
  if (first < 0) return text;
  let i = first;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += isFullWidthAlnum(c) ? String.fromCharCode(c - 0xfee0) : text[i];
  }
  return out;
}

const FULL_WIDTH_ALNUM = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/;

function isFullWidthAlnum(code: number): boolean {
  return (code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a);
}
