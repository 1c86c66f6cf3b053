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
  let out = text;
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim().toLowerCase();
}
