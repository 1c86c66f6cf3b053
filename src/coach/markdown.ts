/**
 * The trainer-facing Markdown: one plan per agent and one summary per vendor. Every piece of user data (ids,
 * names, intents) goes through the shared inline escaper and every utterance through the shared block-quote
 * escaper (src/privacy/escape.ts), so customer text stays inert, whatever it contains. Quotes arrive already
 * redacted (coach.ts redacts once, for JSON and Markdown alike); when redaction is off the header says so.
 */
import type { Language, TrainingModule } from './catalog.js';
import type { CaseRef, ExemplarCase } from './evidence.js';
import { formatDuration, formatValue, metricName, metricTitle, ROLE_WORDS, SCOPE_WORDS } from './labels.js';
import type { AgentPlan, CoachingSettings, VendorNeed, VendorSummary, WeakSpot } from './plan.js';
import type { Quote } from './quotes.js';
import { describeFinding, formatConfidence } from './sentences.js';
import { escapeMarkdownInline as esc, markdownQuote } from '../privacy/escape.js';
import { redactionNotice } from '../privacy/redact.js';

function who(plan: AgentPlan): string {
  return esc(plan.agentName ?? plan.agentId);
}

/** Redacted plans need no notice; raw ones must say so before anyone forwards them. */
function redactionWarning(settings: CoachingSettings): string[] {
  return settings.redacted ? [] : [`**${esc(redactionNotice(false))}**`, ''];
}

function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

function quoteLines(quote: Quote, previous: Quote | undefined, language: Language): string[] {
  const speaker = quote.source === 'survey' ? (language === 'zh' ? '评价留言' : 'Survey comment') : ROLE_WORDS[language][quote.role] ?? quote.role;
  // The time since the previous quoted line makes waits visible without arithmetic on timestamps.
  const elapsed = quote.at && previous?.at ? (Date.parse(quote.at) - Date.parse(previous.at)) / 1000 : 0;
  const after = elapsed > 0 ? (language === 'zh' ? `（${formatDuration(elapsed, language)}后）` : ` (+${formatDuration(elapsed, language)})`) : '';
  const time = quote.at ? ` ${formatTime(quote.at)}${after}` : '';
  // The block-quote escaper keeps each line of the message inside the quote; the first joins the speaker line.
  const body = markdownQuote(quote.text).split('\n');
  const first = body[0]!.replace(/^> ?/, '');
  const colon = language === 'zh' ? '：' : ': ';
  const lines = [`> **${esc(speaker)}**${time}${colon}${first}`, ...body.slice(1)];
  if (quote.matched) {
    const matched = esc(quote.matched);
    lines.push(language === 'zh' ? `> （命中：“${matched}”）` : `> (matched: "${matched}")`);
  }
  return lines;
}

function quoteBlock(quotes: readonly Quote[], language: Language): string[] {
  // Consecutive quotes of one conversation, separated by an empty quote line so each reads as its own turn.
  return quotes.flatMap((q, i) => [...(i > 0 ? ['>'] : []), ...quoteLines(q, quotes[i - 1], language)]);
}

function evidenceSection(metric: string, cases: readonly CaseRef[], language: Language): string[] {
  const zh = language === 'zh';
  if (!cases.length) return [zh ? '_没有可引用的会话原文。_' : '_No conversation text available to quote._', ''];
  return cases.flatMap((c) => {
    const intent = c.intent ? (zh ? `，意图：${esc(c.intent)}` : `, intent: ${esc(c.intent)}`) : '';
    const value =
      c.value === undefined
        ? ''
        : zh
          ? `，${metricName(metric, language)}：${formatValue(metric, c.value, language)}`
          : `, ${metricName(metric, language)}: ${formatValue(metric, c.value, language)}`;
    const heading = zh
      ? `- 会话 ${esc(c.conversationId)}${intent}${value}`
      : `- Conversation ${esc(c.conversationId)}${intent}${value}`;
    const quotes = c.quotes.length ? quoteBlock(c.quotes, language).map((l) => `  ${l}`) : [zh ? '  _（无消息原文）_' : '  _(no message text)_'];
    return [heading, '', ...quotes, ''];
  });
}

function exemplarSection(cases: readonly ExemplarCase[], language: Language): string[] {
  const zh = language === 'zh';
  if (!cases.length) {
    return [zh ? '_同组中暂时没有情境相似且结果良好的会话可作示范。_' : '_No peer conversation in a similar situation that ended well was found._', ''];
  }
  return cases.flatMap((c) => {
    const why = [
      c.sameIntent && c.intent ? (zh ? `同一意图（${esc(c.intent)}）` : `same intent: ${esc(c.intent)}`) : null,
      c.sameSignal ? (zh ? '客户情绪信号相似' : 'similar customer signals') : null,
    ].filter(Boolean);
    const outcome = [
      zh ? '72 小时内一次解决' : 'resolved at first contact',
      c.csat !== null ? `CSAT ${c.csat}` : null,
      c.sentimentClosing !== null ? (zh ? `结束情绪 ${signed(c.sentimentClosing)}` : `closing sentiment ${signed(c.sentimentClosing)}`) : null,
    ].filter(Boolean);
    const heading = zh
      ? `- 会话 ${esc(c.conversationId)}，坐席 ${esc(c.agentId)}${why.length ? `，${why.join('、')}` : ''}；结果：${outcome.join('，')}`
      : `- Conversation ${esc(c.conversationId)} by ${esc(c.agentId)}${why.length ? ` (${why.join(', ')})` : ''}; outcome: ${outcome.join(', ')}`;
    return [heading, '', ...quoteBlock(c.quotes, language).map((l) => `  ${l}`), ''];
  });
}

function signed(x: number): string {
  return (x > 0 ? '+' : '') + x.toFixed(2);
}

function moduleSection(module: TrainingModule, language: Language): string[] {
  const zh = language === 'zh';
  return [
    zh ? `**培训模块：${esc(module.title)}**` : `**Training module: ${esc(module.title)}**`,
    '',
    zh ? `目标：${esc(module.goal)}` : `Goal: ${esc(module.goal)}`,
    '',
    zh ? '练习：' : 'Practice:',
    '',
    ...module.practice.map((step, i) => `${i + 1}. ${esc(step)}`),
    '',
  ];
}

function weakSpotSection(spot: WeakSpot, plan: AgentPlan, settings: CoachingSettings): string[] {
  const language = settings.language;
  const zh = language === 'zh';
  const name = who(plan);
  return [
    `## ${spot.rank}. ${metricTitle(spot.metric, language)}`,
    '',
    zh ? '**观察到的情况**' : '**What we saw**',
    '',
    describeFinding(spot.metric, spot.assessment, name, language).join(zh ? '' : ' '),
    '',
    zh ? `**${name}的会话原文**` : `**From ${name}\u2019s own conversations**`,
    '',
    ...evidenceSection(spot.metric, spot.evidence, language),
    zh ? '**同组优秀示范**' : '**How top peers handle similar cases**',
    '',
    ...exemplarSection(spot.exemplars, language),
    ...moduleSection(spot.module, language),
  ];
}

function list(items: string[], language: Language): string {
  if (language === 'zh') return items.join('、');
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function renderAgentMarkdown(plan: AgentPlan, settings: CoachingSettings): string {
  const language = settings.language;
  const zh = language === 'zh';
  const name = who(plan);
  const id = esc(plan.agentId);
  const title = zh ? `# 辅导计划：${name}` : `# Coaching plan: ${name}`;
  const idLine = plan.agentName
    ? zh
      ? `坐席编号 ${id} · 外包商 ${esc(plan.vendor)} · 层级 ${esc(plan.tier)}`
      : `Agent ${id} · vendor ${esc(plan.vendor)} · tier ${esc(plan.tier)}`
    : zh
      ? `外包商 ${esc(plan.vendor)} · 层级 ${esc(plan.tier)}`
      : `Vendor ${esc(plan.vendor)} · tier ${esc(plan.tier)}`;
  const out = [title, '', idLine, '', ...redactionWarning(settings)];

  if (plan.status === 'below_minimum') {
    out.push(
      zh
        ? `本期只有 ${plan.conversations} 个会话，少于 ${settings.minConversations} 个的最低要求，样本太少，无法可靠地区分薄弱项和偶然波动，因此本期不出具辅导建议。`
        : `Only ${plan.conversations} conversations this period, below the minimum of ${settings.minConversations}: too few to tell a weak spot from chance, so there is no plan this time.`,
      '',
    );
    return out.join('\n');
  }
  if (plan.status === 'no_peer_group') {
    out.push(
      zh
        ? `同一层级中可比较的坐席少于 ${settings.peerMinAgents} 名，无法与同组对比，因此本期不出具辅导建议。`
        : `Fewer than ${settings.peerMinAgents} comparable agents in this tier, so there is no peer group to compare with and no plan this time.`,
      '',
    );
    return out.join('\n');
  }

  const peers = plan.peerGroup!;
  const weakNames = plan.weakSpots.map((s) => metricName(s.metric, language));
  const strongNames = plan.strengths.map((s) => metricName(s.metric, language));
  out.push(zh ? '## 概要' : '## Summary', '');
  const basis = zh
    ? `本期分析了${name}的 ${plan.conversations} 个会话，并与${SCOPE_WORDS.zh[peers.scope]}的 ${peers.agents} 名同事对比。`
    : `We looked at ${plan.conversations} of ${name}\u2019s conversations and compared them with ${peers.agents} peers (${SCOPE_WORDS.en[peers.scope]}).`;
  const weakText = weakNames.length
    ? zh
      ? weakNames.length === 1
        ? `需要重点练习的是：${weakNames[0]}。`
        : `需要重点练习的有 ${weakNames.length} 项，按影响从大到小：${list(weakNames, language)}。`
      : weakNames.length === 1
        ? `One thing to work on: ${weakNames[0]}.`
        : `${weakNames.length} things to work on, biggest impact first: ${list(weakNames, language)}.`
    : zh
      ? '与同组相比，没有发现既明显又可信的差距，本期无需专项辅导。'
      : 'Nothing stands out against peers: no gap is both large enough to matter and clear enough to trust, so no focused coaching is needed this period.';
  const strongText = strongNames.length
    ? zh
      ? `做得好的方面：${list(strongNames, language)}。`
      : `${name} does clearly better than peers on ${list(strongNames, language)}.`
    : '';
  out.push([basis, weakText, strongText].filter(Boolean).join(zh ? '' : ' '), '');

  out.push(zh ? '## 优势' : '## Strengths', '');
  if (plan.strengths.length) {
    for (const s of plan.strengths) {
      out.push(`- **${metricTitle(s.metric, language)}**: ${describeFinding(s.metric, s.assessment, name, language).join(zh ? '' : ' ')}`);
    }
  } else {
    out.push(zh ? '本期没有明显优于同组的指标。' : 'No measure is clearly ahead of peers this period.');
  }
  out.push('');

  for (const spot of plan.weakSpots) out.push(...weakSpotSection(spot, plan, settings));

  out.push(
    '---',
    '',
    zh
      ? `_判定方法：只有当差距足够大、且统计上可信（与同组之差的置信区间不包含 0，基于连续性校正的 Wilson 区间）时才列为薄弱项。每位坐席同时检验多项指标，因此每项检验的置信水平经 Bonferroni 校正，使整份计划出现误判的概率不超过 ${formatConfidence(1 - settings.confidence)}；每项指标至少需要 ${settings.minMetricSample} 个样本。_`
      : `_How this was decided: a weak spot is listed only when the gap is large enough to matter and statistically credible (the interval of the difference to peers, from continuity-corrected Wilson intervals, excludes zero). Because each agent is checked on many measures at once, every check is Bonferroni-adjusted so that the chance of any false weak spot in this plan stays under ${formatConfidence(1 - settings.confidence)}; each measure needs at least ${settings.minMetricSample} cases._`,
    '',
  );
  return out.join('\n');
}

export function renderVendorMarkdown(summary: VendorSummary, settings: CoachingSettings): string {
  const language = settings.language;
  const zh = language === 'zh';
  const vendor = esc(summary.vendor);
  const out = [zh ? `# 外包商培训需求：${vendor}` : `# Training needs: ${vendor}`, '', ...redactionWarning(settings)];
  out.push(
    zh
      ? `本期对 ${summary.coachedAgents} 名坐席做了对比分析${summary.agentsNotCoached ? `（另有 ${summary.agentsNotCoached} 名因样本不足或无可比同组未分析）` : ''}，并把该外包商每个层级的团队整体与同层级的其他外包商对比。`
      : `${summary.coachedAgents} agents were assessed this period${summary.agentsNotCoached ? ` (${summary.agentsNotCoached} more had too few conversations or no peer group)` : ''}, and the vendor\u2019s team in each tier was compared with the other vendors in that tier.`,
    '',
  );
  const vendorLevel = summary.needs.filter((n) => n.vendorLevel);
  const individual = summary.needs.filter((n) => !n.vendorLevel);
  out.push(zh ? '## 外包商层面的培训需求' : '## Vendor-level training needs', '');
  if (vendorLevel.length) {
    out.push(
      zh
        ? `以下问题在至少 ${Math.round(settings.vendorShare * 100)}% 的坐席身上出现，或整个团队明显落后于同层级的其他外包商，建议作为团队培训而非个人辅导：`
        : `These weak spots are shared by at least ${Math.round(settings.vendorShare * 100)}% of the agents, or the whole team lags the other vendors of its tier, so they call for team training rather than one-to-one coaching:`,
      '',
    );
    for (const need of vendorLevel) out.push(...needLines(need, summary.vendor, language));
  } else {
    out.push(zh ? '没有需要整个外包商共同培训的问题。' : 'Nothing calls for vendor-wide training.');
  }
  out.push('', zh ? '## 个人层面的薄弱项' : '## Individual weak spots', '');
  if (individual.length) for (const need of individual) out.push(...needLines(need, summary.vendor, language));
  else out.push(zh ? '无。' : 'None.');
  out.push('', zh ? '## 团队优势' : '## Team strengths', '');
  if (summary.strengths.length) {
    for (const s of summary.strengths) {
      const who = teamName(summary.vendor, s.tier, language);
      out.push(`- **${metricTitle(s.metric, language)}**${zh ? '：' : ': '}${describeFinding(s.metric, s.assessment, who, language, 'vendors').join(zh ? '' : ' ')}`);
    }
  } else {
    out.push(zh ? '与同层级其他外包商相比，没有明显领先的指标。' : 'No measure is clearly ahead of the other vendors in the same tier.');
  }
  out.push('');
  return out.join('\n');
}

function teamName(vendor: string, tier: string, language: Language): string {
  return language === 'zh' ? `${esc(vendor)} 的 ${esc(tier)} 团队` : `${esc(vendor)}\u2019s ${esc(tier)} team`;
}

function needLines(need: VendorNeed, vendor: string, language: Language): string[] {
  const zh = language === 'zh';
  const ids = need.agents.map((a) => esc(a)).join(', ');
  const pct = `${Math.round(need.share * 100)}%`;
  const count = need.agents.length;
  const agentsText = count
    ? zh
      ? `${count} 名坐席（${pct}）：${ids}`
      : `${count} ${count === 1 ? 'agent' : 'agents'} (${pct}): ${ids}`
    : zh
      ? '个人对比中没有坐席被单独标出（同组同事同样如此）'
      : 'no agent stands out individually (their colleagues do the same)';
  const lines = [`- **${metricTitle(need.metric, language)}**${zh ? '：' : ': '}${agentsText}`];
  for (const finding of need.worseThanOtherVendors) {
    const who = teamName(vendor, finding.tier, language);
    lines.push(`  ${describeFinding(finding.metric, finding.assessment, who, language, 'vendors').join(zh ? '' : ' ')}`);
  }
  return lines;
}
