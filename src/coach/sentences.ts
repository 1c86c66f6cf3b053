/**
 * The "what we saw" sentences of a weak spot or strength, per metric shape and language. Kept apart from the
 * Markdown layout so the prose can be read (and tested) on its own.
 */
import type { Language } from './catalog.js';
import { formatDuration, formatGap, formatPercent, formatValue, metricEvent, metricName } from './labels.js';
import { metricById } from './metrics.js';
import type { Assessment } from './stats.js';

/** "{who} offered a coupon in {k} of {n} conversations" for proportion metrics. */
const COUNT_SENTENCES: Record<string, Record<Language, string>> = {
  fcr_72h_rate: { zh: '{who}的 {n} 个会话中有 {k} 个一次解决（72 小时内客户未再联系）', en: '{who} resolved {k} of {n} conversations at first contact (no repeat contact within 72 h)' },
  reopen_rate: { zh: '{who}的 {n} 个会话中有 {k} 个被重新打开', en: '{k} of {who}\u2019s {n} conversations were reopened' },
  coupon_appeasement_rate: { zh: '{who}在 {n} 个会话中有 {k} 个用优惠券安抚客户', en: '{who} offered a coupon in {k} of {n} conversations' },
  callback_promise_rate: { zh: '{who}在 {n} 个会话中有 {k} 个承诺稍后回电', en: '{who} promised a callback in {k} of {n} conversations' },
  agents_busy_rate: { zh: '{who}在 {n} 个会话中有 {k} 个称人工坐席忙', en: '{who} told the customer that agents were busy in {k} of {n} conversations' },
  bot_transfer_block_rate: { zh: '{who}在 {n} 个会话中有 {k} 个在客户要求人工后仍继续挽留', en: '{who} kept the customer after a request for a human in {k} of {n} conversations' },
  self_service_redirect_rate: { zh: '{who}在 {n} 个会话中有 {k} 个让客户去自助渠道办理', en: '{who} sent the customer to self-service in {k} of {n} conversations' },
  canned_repetition_rate: { zh: '{who}在 {n} 个会话中有 {k} 个重复发送同一模板', en: '{who} repeated a canned reply in {k} of {n} conversations' },
  apology_loop_rate: { zh: '{who}在 {n} 个会话中有 {k} 个反复道歉而没有行动', en: '{who} apologised repeatedly without acting in {k} of {n} conversations' },
  promise_kept_rate: { zh: '{who}兑现了 {n} 个回电承诺中的 {k} 个', en: '{who} kept {k} of {n} callback promises' },
};

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

export function formatConfidence(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))}%`;
}

const interval = (low: number, high: number, language: Language, confidence: number) =>
  language === 'zh'
    ? `${formatConfidence(confidence)} 置信区间 ${formatPercent(low)}–${formatPercent(high)}`
    : `${formatConfidence(confidence)} interval ${formatPercent(low)}–${formatPercent(high)}`;

/** `who` is already escaped for Markdown by the caller. */
export function describeFinding(
  metricId: string,
  a: Assessment,
  who: string,
  language: Language,
  peers: 'agents' | 'vendors' = 'agents',
): string[] {
  const confidence = a.confidence;
  const metric = metricById(metricId);
  const name = metricName(metricId, language);
  const zh = language === 'zh';
  const k = a.peerUnits;
  const sampleNoun = metric.id === 'promise_kept_rate' ? 'promises' : metric.id === 'csat' ? 'surveys' : 'conversations';
  const peerLine = zh
    ? `${peers === 'agents' ? `同组 ${k} 名坐席` : `同层级其他 ${k} 家外包商`}（共 ${a.peerN} 个样本）`
    : `${peers === 'agents' ? `${k} ${k === 1 ? 'peer' : 'peers'}` : `${k} other ${k === 1 ? 'vendor' : 'vendors'}`} (${a.peerN} ${sampleNoun})`;

  if (metric.kind === 'proportion') {
    const count = Math.round(a.value * a.n);
    const template = COUNT_SENTENCES[metricId]?.[language] ?? '{who}: {k} / {n}';
    const observed = fill(template, { who, k: count, n: a.n });
    const ci = a.interval ? interval(a.interval.low, a.interval.high, language, confidence) : '';
    const first = zh
      ? `${observed}，占 ${formatPercent(a.value)}（${ci}）；${peerLine}合计为 ${formatPercent(a.peerValue)}。`
      : `${template.startsWith('{who}') ? observed : capitalise(observed)}: ${formatPercent(a.value)} (${ci}), against ${formatPercent(a.peerValue)} for ${peerLine}.`;
    const teamShift = formatGap(metricId, a.impact / (a.n + a.peerN), language);
    const changed = Math.round(Math.abs(a.impact));
    const second =
      a.verdict === 'strong'
        ? zh
          ? `比${peers === 'agents' ? '同组' : '其他外包商'}好 ${formatGap(metricId, a.badGap, language)}。`
          : `That is ${formatGap(metricId, a.badGap, language)} better than ${peers === 'agents' ? 'peers' : 'the other vendors'}.`
        : metric.direction === 'lower_is_better'
          ? zh
            ? `如果达到同组水平，这 ${a.n} 个会话中约可减少 ${changed} 个，全组比例将下降 ${teamShift}。`
            : `Matching peers would mean about ${changed} fewer such conversations out of these ${a.n}, and the group\u2019s rate would drop by ${teamShift}.`
          : zh
            ? `如果达到同组水平，这 ${a.n} 个中约可多 ${changed} 个${metricEvent(metricId, language)}，全组比例将提高 ${teamShift}。`
            : `Matching peers would mean about ${changed} more of these ${a.n} ${metric.id === 'promise_kept_rate' ? 'promises' : 'conversations'} ${metricEvent(metricId, language)}, lifting the group\u2019s rate by ${teamShift}.`;
    return [first, second];
  }

  const tail = a.tail!;
  const centerWord = metric.center === 'median' ? (zh ? '中位数' : 'Median') : zh ? '平均值' : 'Average';
  const sample = metricId === 'csat' ? (zh ? '份评价' : 'surveys') : zh ? '个会话' : 'conversations';
  const first = zh
    ? `${name}${centerWord}为 ${formatValue(metricId, a.value, language)}（${a.n} ${sample}），${peerLine}为 ${formatValue(metricId, a.peerValue, language)}。`
    : `${centerWord} ${name}: ${formatValue(metricId, a.value, language)} over ${a.n} ${sample}, against ${formatValue(metricId, a.peerValue, language)} for ${peerLine}.`;
  const worseSide = tail.tail === 'above_p75';
  const slowerWord = metric.unit === 'seconds' ? (zh ? '慢于' : 'slower than') : zh ? (worseSide ? '高于' : '低于') : worseSide ? 'above' : 'below';
  const quartile = worseSide ? (zh ? '上四分位数' : 'upper quartile') : zh ? '下四分位数' : 'lower quartile';
  const threshold = formatValue(metricId, tail.threshold, language);
  const ci = interval(tail.interval.low, tail.interval.high, language, confidence);
  const second = zh
    ? `其中 ${tail.count} 个（${formatPercent(tail.share)}，${ci}）${slowerWord}同组的${quartile}（${threshold}），而同组只有 ${formatPercent(tail.peerShare)} 落在这一侧。`
    : `${tail.count} of them (${formatPercent(tail.share)}, ${ci}) were ${slowerWord} the peers\u2019 ${quartile} (${threshold}), where only ${formatPercent(tail.peerShare)} of the peers\u2019 ${sample} fall.`;
  let third: string;
  if (a.verdict === 'strong') {
    third = zh
      ? `比${peers === 'agents' ? '同组' : '其他外包商'}好 ${formatGap(metricId, a.badGap, language)}。`
      : `That is ${formatGap(metricId, a.badGap, language)} better than ${peers === 'agents' ? 'peers' : 'the other vendors'}.`;
  } else if (metric.unit === 'seconds') {
    third = zh
      ? `如果达到同组水平，这些会话合计可节省约 ${formatDuration(a.impact, language)}（每个会话约 ${formatDuration(a.badGap, language)}）。`
      : `Reaching the peer median would take about ${formatDuration(a.impact, language)} off these conversations in total (${formatDuration(a.badGap, language)} each).`;
  } else {
    const shift = formatGap(metricId, a.impact / (a.n + a.peerN), language);
    third = zh
      ? `如果达到同组水平，全组平均${name}将提高 ${shift}。`
      : `Reaching the peer level would raise the group\u2019s average ${name} by ${shift}.`;
  }
  return [first, second, third];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
