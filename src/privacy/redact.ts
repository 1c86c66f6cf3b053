/**
 * Redaction of personal data in log text on its way out of csqa (coaching, template lists, chart labels,
 * exports) and before canned-template clustering. Text at rest in DuckDB is never changed here.
 *
 * One combined left-to-right scan finds every candidate; validators then decide (GB 11643 check digit for
 * resident IDs, Luhn for bank cards, number plans for phones). Each finding becomes a typed placeholder:
 *   [PHONE] [ID] [CARD] [EMAIL] [IP] [URL] [ADDRESS] [ORDER] [NAME] [ACCOUNT] [NUMBER]
 * [NAME] and [ACCOUNT] (WeChat / QQ ids) are only recognised after a label (姓名：, my name is, 微信号：).
 * [ORDER] replaces the value after an order/tracking label (订单号 / 单号 / order # ...), the label stays.
 * [NUMBER] is the safety net: an unlabeled run of 12 or more digits that matched no rule (a mistyped ID,
 * an old 15-digit ID, a tracking number) is never written out raw.
 * Masks already present in the data ([订单x], [数字x], and our own placeholders) are kept verbatim, so
 * redaction is idempotent. Prices, dates, times, quantities and short numbers are kept.
 */

export type PiiType =
  | 'PHONE'
  | 'ID'
  | 'CARD'
  | 'EMAIL'
  | 'IP'
  | 'URL'
  | 'ADDRESS'
  | 'ORDER'
  | 'NAME'
  | 'ACCOUNT'
  | 'NUMBER';

export const PII_TYPES: readonly PiiType[] = ['PHONE', 'ID', 'CARD', 'EMAIL', 'IP', 'URL', 'ADDRESS', 'ORDER', 'NAME', 'ACCOUNT', 'NUMBER'];

export interface PiiSpan {
  type: PiiType;
  /** UTF-16 offsets into the original text; labels (订单号, 姓名:) are outside the span. */
  start: number;
  end: number;
}

export interface RedactOptions {
  /** false returns the text unchanged (privacy.redact = false). Default true. */
  enabled?: boolean;
}

/** Unlabeled digit runs at least this long are never written out raw. */
const LONG_DIGIT_RUN = 12;
/** The shortest number any digit rule accepts (+44 7 digits ... is 8 with its country code). */
const MIN_PII_DIGITS = 8;
/** The longest number any digit rule accepts (a 19-digit card). */
const MAX_PII_DIGITS = 19;
/** How far a Chinese address may reach left of its road/estate keyword (province, city, district, road name). */
const ADDRESS_MAX_PREFIX = 24;

const D = '[0-9\\uFF10-\\uFF19]';
const HAN = '\\p{Script=Han}';
// Function words and pronouns end a place name, so "我住在北京市朝阳区建国路88号" redacts from 北京.
const NOT_PLACE = '在到是址住寄送往从的和与及或我你他她您请把给向了就还也都';
const PLACE_CHAR = new RegExp(`^(?![${NOT_PLACE}])${HAN}$`, 'u');

const SOURCE = [
  // Existing masks and our own placeholders: letters only, no digits.
  `(?<mask>\\[[\\p{L}_]{1,16}\\])`,
  `(?<email>(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]+[@＠][A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,})`,
  `(?<url>(?:[Hh][Tt][Tt][Pp][Ss]?:\\/\\/|www\\.)[^\\s<>"'{}|\\\\^\`\\[\\]\\u3000-\\u303F\\uFF00-\\uFFEF\\u4E00-\\u9FFF]+)`,
  `(?<ip>(?<![0-9.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?!\\.?[0-9]))`,
  `(?:(?:订单编号|订单号码|订单号|订单|运单号|快递单号|物流单号|单号|(?<![A-Za-z])(?:[Oo]rder|ORDER|[Tt]racking|TRACKING)(?:\\s*(?:[Nn]umber|[Nn]o\\.?|ID|[Ii]d|#))?)(?:\\s*(?:[:：#]|是|为|is)?\\s*))(?<order>[A-Za-z]{0,4}${D}{6,}(?:-${D}+)*)`,
  `(?:(?:姓名|收件人|收货人|联系人)\\s*[:：]\\s*(?<nameZh>${HAN}{2,4})|(?:[Mm]y name is|[Nn]ame\\s*:)\\s*(?<nameEn>[A-Z][a-z]+(?: [A-Z][a-z]+)?))`,
  `(?:(?:微信号|QQ号|(?<![A-Za-z])(?:微信|[Vv][Xx]|[Ww][Xx]|[Ww]e[Cc]hat|QQ|qq)\\s*(?:[:：]|是|ID|id))\\s*(?:[:：]|是)?\\s*(?<account>[A-Za-z][-_A-Za-z0-9]{5,19}|[1-9][0-9]{4,11})(?![-_A-Za-z0-9]))`,
  `(?<addressEn>(?<![0-9A-Za-z])[0-9]{1,5}[A-Za-z]?\\s+(?:[A-Z][a-z]+\\.?\\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl)\\b\\.?(?:,?\\s*(?:Apt|Apartment|Suite|Unit|#)\\.?\\s*[A-Za-z0-9\\-]+)?)`,
  // Digit groups joined by one space/hyphen or parentheses: 138 1234 5678, +1 (415) 555-0132, 6222 0212 ...
  `(?<digits>(?<!${D})(?<!${D}[.．])(?:\\+\\s?)?(?:[(（]${D}{1,4}[)）]|${D}+(?:[Xx](?![A-Za-z]))?)(?:(?:[ \\-\\u00A0－]|(?<=[)）])|(?=[(（]))(?:[(（]${D}{1,4}[)）]|${D}+(?:[Xx](?![A-Za-z]))?))*)`,
].join('|');

const SCANNER = new RegExp(SOURCE, 'gu');

/**
 * Chinese addresses are found from their road or estate keyword plus a house number, then extended left over
 * the place name in code. A separate pass: inside the combined scanner this alternative halved throughput.
 */
const ADDRESS_ZH = new RegExp(
  `(?:(?:路|街|大道|大街|巷|弄|胡同)\\s*${D}{1,5}\\s*(?:号|弄)|(?:小区|花园|公寓|大厦|家园|新村|苑)\\s*${D}{1,5}\\s*(?:号楼|栋|幢|座))` +
    `(?:\\s*${HAN}{0,6}?${D}{1,5}\\s*(?:号楼|栋|幢|座|单元|室|层|楼|号|户))*`,
  'gu',
);
/** Texts without any of these cannot hold a finding: most chat lines skip the scan. */
const PRECHECK = /[0-9\uFF10-\uFF19@＠]|[Hh][Tt][Tt][Pp]|www\.|姓名|收件人|收货人|联系人|[Nn]ame|微信|[Vv][Xx]|[Ww][Xx]|[Ww]e[Cc]hat|QQ|qq/;

const GROUP_PATTERN = new RegExp(`[(（](${D}{1,4})[)）]|(${D}+[Xx]?)`, 'gu');

interface DigitGroup {
  /** ASCII digits (full-width folded), X upper-cased. */
  digits: string;
  start: number;
  end: number;
}

function asciiDigits(s: string): string {
  return s.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48)).toUpperCase();
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999: region, a real birth date, and the ISO 7064 MOD 11-2 check character. */
export function residentIdValid(id: string): boolean {
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17];
}

function isMobile(digits: string): boolean {
  return /^(?:0{0,2}86)?1[3-9][0-9]{9}$/.test(digits);
}

function classifyDigits(groups: readonly DigitGroup[], plus: boolean): PiiType | undefined {
  const digits = groups.map((g) => g.digits).join('');
  const lengths = groups.map((g) => g.digits.length);
  const single = groups.length === 1;
  if (digits.includes('X')) {
    return digits.length === 18 && (single || lengths.join() === '6,8,4') && residentIdValid(digits) ? 'ID' : undefined;
  }
  if (plus) {
    if (digits.startsWith('86')) return digits.length >= 11 && digits.length <= 13 ? 'PHONE' : undefined;
    if (digits.startsWith('1')) return digits.length === 11 ? 'PHONE' : undefined;
    if (digits.startsWith('44')) return digits.length >= 11 && digits.length <= 12 ? 'PHONE' : undefined;
    return digits.length >= 8 && digits.length <= 15 ? 'PHONE' : undefined;
  }
  if (digits.length === 18 && (single || lengths.join() === '6,8,4') && residentIdValid(digits)) return 'ID';
  // Any grouping: "138 1234 5678", "1 3 8 1 2 3 4 5 6 7 8" typed to dodge filters.
  if (isMobile(digits)) return 'PHONE';
  const first = groups[0]!;
  if (
    groups.length >= 2 &&
    groups.length <= 3 &&
    /^0[1-9][0-9]{1,2}$/.test(first.digits) &&
    /^[1-9]/.test(groups[1]!.digits) &&
    digits.length - first.digits.length >= 7 &&
    digits.length - first.digits.length <= 8
  ) {
    return 'PHONE';
  }
  if (single && /^0(?:10|2[0-9])[1-9][0-9]{7}$|^0[3-9][0-9]{2}[1-9][0-9]{6,7}$/.test(digits)) return 'PHONE';
  const shape = lengths.join();
  // 400-xxx-xxxx / 800-xxx-xxxx are company hotlines, kept so deflection evidence still reads "请拨打400-...".
  if ((shape === '3,3,4' && /^[2-9]/.test(digits) && !/^[48]00/.test(digits)) || (shape === '1,3,3,4' && digits.startsWith('1'))) {
    return 'PHONE';
  }
  if (
    digits.length >= 13 &&
    digits.length <= 19 &&
    /^[1-9]/.test(digits) &&
    (single || lengths.slice(0, -1).every((n) => n === 4) || shape === '4,6,5' || shape === '6,13') &&
    luhnValid(digits)
  ) {
    return 'CARD';
  }
  return undefined;
}

/** Splits a digit token into groups and finds the longest valid PII window at each position. */
function digitSpans(token: string, offset: number, out: PiiSpan[]): void {
  if (token.length < MIN_PII_DIGITS) return;
  const plus = token.startsWith('+');
  const groups: DigitGroup[] = [];
  for (const m of token.matchAll(GROUP_PATTERN)) {
    groups.push({
      digits: asciiDigits(m[1] ?? m[2]!),
      start: m.index!,
      end: m.index! + m[0].length,
    });
  }
  // Most tokens are prices, dates, times and quantities: too few digits for any rule.
  const total = groups.reduce((sum, g) => sum + g.digits.length, 0);
  if (total < MIN_PII_DIGITS) return;
  let i = 0;
  while (i < groups.length) {
    let matched = false;
    // Windows longer than any rule accepts are never tried: keeps hostile "1 1 1 1 ..." inputs linear.
    let last = i;
    let windowDigits = groups[i]!.digits.length;
    while (last + 1 < groups.length && windowDigits + groups[last + 1]!.digits.length <= MAX_PII_DIGITS) {
      last++;
      windowDigits += groups[last]!.digits.length;
    }
    for (let j = last; j >= i; windowDigits -= groups[j]!.digits.length, j--) {
      if (windowDigits < MIN_PII_DIGITS) break;
      const type = classifyDigits(groups.slice(i, j + 1), plus && i === 0);
      if (type) {
        out.push({ type, start: offset + (i === 0 ? 0 : groups[i]!.start), end: offset + groups[j]!.end });
        i = j + 1;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const group = groups[i]!;
    if (group.digits.length >= LONG_DIGIT_RUN) {
      out.push({ type: 'NUMBER', start: offset + group.start, end: offset + group.end });
    }
    i++;
  }
}

/** Plain links (help-centre pages) stay readable; anything that can carry a token or an identity goes. */
function urlIsSensitive(url: string): boolean {
  if (/[?#@=;]/.test(url)) return true;
  if (/[0-9]{5,}/.test(url)) return true;
  return url.split(/[/.]/).some((part) => part.length >= 16 && /[0-9]/.test(part) && /[A-Za-z]/.test(part));
}

function trimUrl(url: string): string {
  return url.replace(/[.,;:!?)'"]+$/, '');
}

/** Every personal-data finding in `text`, in order, non-overlapping. */
export function findPii(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  if (!PRECHECK.test(text)) return spans;
  const scanner = SCANNER;
  scanner.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = scanner.exec(text)) !== null) {
    const g = m.groups!;
    const start = m.index;
    let end = start + m[0].length;
    if (g.mask !== undefined) {
      // kept verbatim
    } else if (g.email !== undefined) {
      spans.push({ type: 'EMAIL', start, end });
    } else if (g.url !== undefined) {
      const url = trimUrl(g.url);
      end = start + url.length;
      scanner.lastIndex = end;
      if (urlIsSensitive(url)) spans.push({ type: 'URL', start, end });
    } else if (g.ip !== undefined) {
      spans.push({ type: 'IP', start, end });
    } else if (g.order !== undefined) {
      spans.push({ type: 'ORDER', start: end - g.order.length, end });
    } else if (g.nameZh !== undefined || g.nameEn !== undefined) {
      const name = (g.nameZh ?? g.nameEn)!;
      spans.push({ type: 'NAME', start: end - name.length, end });
    } else if (g.account !== undefined) {
      spans.push({ type: 'ACCOUNT', start: end - g.account.length, end });
    } else if (g.addressEn !== undefined) {
      spans.push({ type: 'ADDRESS', start, end });
    } else if (g.digits !== undefined) {
      digitSpans(g.digits, start, spans);
    }
  }
  return addChineseAddresses(text, spans);
}

/** Adds address spans; a span found by the main scan inside an address becomes part of it. */
function addChineseAddresses(text: string, spans: PiiSpan[]): PiiSpan[] {
  const addresses: PiiSpan[] = [];
  ADDRESS_ZH.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ADDRESS_ZH.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    // The place name reaches left at most to the previous finding.
    let floor = addresses.at(-1)?.end ?? 0;
    for (const span of spans) if (span.end <= start && span.end > floor) floor = span.end;
    let from = start;
    while (from > floor && start - from < ADDRESS_MAX_PREFIX && PLACE_CHAR.test(text[from - 1]!)) from--;
    // A road needs a name (建国路); a lone "路3号" or "一路3号" is not an address.
    if (start - from >= 2) addresses.push({ type: 'ADDRESS', start: from, end });
  }
  if (addresses.length === 0) return spans;
  const merged: PiiSpan[] = [];
  for (const span of [...addresses, ...spans].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      last.type = last.type === 'ADDRESS' || span.type === 'ADDRESS' ? 'ADDRESS' : last.type;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** Replaces every finding with its typed placeholder. */
export function redact(text: string, options: RedactOptions = {}): string {
  if (options.enabled === false) return text;
  const spans = findPii(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + `[${span.type}]`;
    at = span.end;
  }
  return out + text.slice(at);
}

export interface Redactor {
  readonly enabled: boolean;
  /** NULL (purged text) stays NULL. */
  (text: string): string;
  (text: string | null | undefined): string | null | undefined;
}

/** The redactor every writer uses, switched by `privacy.redact`. */
export function createRedactor(config: { privacy: { redact: boolean } }): Redactor {
  const enabled = config.privacy.redact;
  const fn = ((text: string | null | undefined) =>
    text === null || text === undefined || !enabled ? text : redact(text)) as Redactor;
  Object.defineProperty(fn, 'enabled', { value: enabled });
  return fn;
}

/**
 * Text as canned-template clustering should see it: always redacted (whatever privacy.redact says), so two
 * copies of a template differing only in a phone or order number are one template.
 */
export function textForClustering(text: string): string {
  return redact(text);
}

/** The line reports and coaching files print so readers know whether log text was redacted. */
export function redactionNotice(enabled: boolean): string {
  return enabled
    ? 'Personal data in quoted log text (phones, ID and card numbers, emails, IPs, addresses, order numbers, labelled names) is replaced by placeholders such as [PHONE].'
    : 'WARNING: redaction is OFF (privacy.redact = false): quoted log text is shown raw and may contain personal data.';
}
