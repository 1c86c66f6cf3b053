/**
 * Words and number formats of the coaching outputs in each language. Metric names are written the way a
 * trainer would say them, and numbers carry their unit, so a plan reads as prose rather than a dump.
 */
import type { Language } from './catalog.js';
import { metricById } from './metrics.js';

interface MetricWords {
  /** Noun phrase: "first response time". */
  name: string;
  /** What one occurrence is, for counts: "offered a coupon". */
  event?: string;
}

const METRIC_WORDS: Record<string, Record<Language, MetricWords>> = {
  first_response_seconds: { zh: { name: '首次响应时间' }, en: { name: 'first response time' } },
  handle_seconds: { zh: { name: '处理时长' }, en: { name: 'handling time' } },
  time_to_human_seconds: { zh: { name: '要求人工后的接起时间' }, en: { name: 'time to a human after a request' } },
  fcr_72h_rate: { zh: { name: '一次解决率（72 小时）', event: '一次解决' }, en: { name: 'first-contact resolution (72 h)', event: 'resolved at first contact' } },
  reopen_rate: { zh: { name: '重开率', event: '被重新打开' }, en: { name: 'reopen rate', event: 'reopened' } },
  csat: { zh: { name: '满意度（CSAT）' }, en: { name: 'CSAT' } },
  sentiment_closing: { zh: { name: '结束时的客户情绪' }, en: { name: 'customer sentiment at the end' } },
  sentiment_change: { zh: { name: '会话中客户情绪的变化' }, en: { name: 'change in customer sentiment' } },
  coupon_appeasement_rate: { zh: { name: '发券安抚', event: '用优惠券安抚客户' }, en: { name: 'coupon offers', event: 'offered a coupon' } },
  callback_promise_rate: { zh: { name: '承诺稍后回电', event: '承诺稍后回电' }, en: { name: 'callback promises', event: 'promised a callback' } },
  agents_busy_rate: { zh: { name: '以“坐席忙”推脱', event: '称人工坐席忙' }, en: { name: '"agents are busy" replies', event: 'said agents were busy' } },
  bot_transfer_block_rate: { zh: { name: '阻拦转人工', event: '在客户要求人工后继续挽留' }, en: { name: 'blocking a transfer', event: 'kept the customer after a request for a human' } },
  self_service_redirect_rate: { zh: { name: '推给自助渠道', event: '让客户自助办理' }, en: { name: 'redirects to self-service', event: 'sent the customer to self-service' } },
  canned_repetition_rate: { zh: { name: '重复套用话术', event: '重复发送同一模板' }, en: { name: 'repeated canned replies', event: 'repeated a canned reply' } },
  apology_loop_rate: { zh: { name: '反复道歉不行动', event: '反复道歉' }, en: { name: 'apology loops', event: 'apologised repeatedly without acting' } },
  promise_kept_rate: { zh: { name: '回电承诺兑现率', event: '兑现' }, en: { name: 'callback promises kept', event: 'kept' } },
};

export function metricName(id: string, language: Language): string {
  return METRIC_WORDS[id]?.[language].name ?? id;
}

/** For headings and the start of a sentence. */
export function metricTitle(id: string, language: Language): string {
  const name = metricName(id, language);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function metricEvent(id: string, language: Language): string {
  return METRIC_WORDS[id]?.[language].event ?? metricName(id, language);
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

export function formatDuration(seconds: number, language: Language): string {
  const total = Math.round(Math.abs(seconds));
  const sign = seconds < 0 ? '-' : '';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (language === 'zh') {
    if (h) return `${sign}${h} 小时 ${m} 分`;
    if (m) return `${sign}${m} 分 ${s} 秒`;
    return `${sign}${s} 秒`;
  }
  if (h) return `${sign}${h} h ${m} min`;
  if (m) return `${sign}${m} min ${s} s`;
  return `${sign}${s} s`;
}

/** A metric's value in its own unit. */
export function formatValue(id: string, value: number, language: Language): string {
  const metric = metricById(id);
  if (metric.kind === 'proportion') return formatPercent(value);
  if (metric.unit === 'seconds') return formatDuration(value, language);
  if (metric.unit === 'points') return value.toFixed(2);
  return (value > 0 ? '+' : '') + value.toFixed(2);
}

/** A gap between two values of the metric (no sign flipping: the caller says better or worse). */
export function formatGap(id: string, gap: number, language: Language): string {
  const metric = metricById(id);
  if (metric.kind === 'proportion') {
    const points = Math.abs(gap * 100).toFixed(1);
    return language === 'zh' ? `${points} 个百分点` : `${points} percentage points`;
  }
  if (metric.unit === 'seconds') return formatDuration(Math.abs(gap), language);
  return Math.abs(gap).toFixed(2);
}

export const ROLE_WORDS: Record<Language, Record<string, string>> = {
  zh: { customer: '客户', agent: '坐席', bot: '机器人', system: '系统' },
  en: { customer: 'Customer', agent: 'Agent', bot: 'Bot', system: 'System' },
};

export const SCOPE_WORDS: Record<Language, Record<'vendor_tier' | 'tier', string>> = {
  zh: { vendor_tier: '同一外包商、同一层级', tier: '同一层级（所有外包商，因同组人数不足）' },
  en: { vendor_tier: 'same vendor and tier', tier: 'same tier across vendors (too few peers at this vendor)' },
};
