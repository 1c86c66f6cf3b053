import { describe, expect, it } from 'vitest';
import { analyzer } from './helpers.js';

const signalsOf = (text: string, role: string) =>
  analyzer
    .analyze(text)
    .hits.filter((h) => !h.signal.startsWith('_') && (h.roles as readonly string[]).includes(role) && !h.context)
    .map((h) => h.signal);
const sentimentOf = (text: string) => analyzer.analyze(text).sentiment;

describe('lexicon sentiment', () => {
  it('labels plain praise and complaints in both languages', () => {
    expect(sentimentOf('客服很耐心，给你点赞').label).toBe('positive');
    expect(sentimentOf('great service, very helpful').label).toBe('positive');
    expect(sentimentOf('垃圾平台，再也不买了').label).toBe('negative');
    expect(sentimentOf('terrible experience, never again').label).toBe('negative');
    expect(sentimentOf('请问什么时候发货').label).toBe('neutral');
  });

  it('flips a negated term within its clause only', () => {
    expect(sentimentOf('满意').score).toBeGreaterThan(0);
    expect(sentimentOf('不是很满意').label).toBe('negative');
    expect(sentimentOf('not happy with this at all').label).toBe('negative');
    expect(sentimentOf('not bad actually').label).toBe('positive');
    // The negator belongs to the first clause; the praise after the comma stands.
    expect(sentimentOf('不贵，很好用').label).toBe('positive');
  });

  it('lets the clause after a contrast word carry the meaning', () => {
    expect(sentimentOf('不错，但是太慢了').label).toBe('negative');
    expect(sentimentOf('虽然等了几天，但是客服处理得很好').label).toBe('positive');
    expect(sentimentOf('the product is good but the delivery was terrible').label).toBe('negative');
  });

  it('scales with intensifiers and diminishers', () => {
    expect(sentimentOf('非常满意').score).toBeGreaterThan(sentimentOf('满意').score);
    expect(sentimentOf('有点失望').score).toBeGreaterThan(sentimentOf('失望').score);
    expect(sentimentOf('extremely disappointed').score).toBeLessThan(sentimentOf('disappointed').score);
  });

  it('reads emoji and repeated punctuation', () => {
    expect(sentimentOf('东西收到了😊').label).toBe('positive');
    expect(sentimentOf('东西收到了😡').label).toBe('negative');
    expect(sentimentOf('人工！！！').label).toBe('negative');
    expect(sentimentOf('太差了!!!').score).toBeLessThan(sentimentOf('太差了').score);
  });

  it('turns praise negative under sarcasm markers and rhetorical questions', () => {
    expect(sentimentOf('服务真好').label).toBe('positive');
    expect(sentimentOf('呵呵，服务真好').label).toBe('negative');
    expect(sentimentOf('great, just great. another delay').label).toBe('negative');
    expect(sentimentOf('到底有没有人管啊').label).toBe('negative');
    expect(sentimentOf('什么破东西').label).toBe('negative');
  });

  it('handles mixed Chinese and English', () => {
    expect(sentimentOf('客服very nice，点赞').label).toBe('positive');
    expect(sentimentOf('delivery太慢了😤').label).toBe('negative');
  });

  it('keeps every score within [-1, 1]', () => {
    const s = sentimentOf('垃圾垃圾垃圾！！！气死了😡😡😡 WORST SERVICE EVER what the hell');
    expect(s.score).toBeGreaterThanOrEqual(-1);
    expect(s.score).toBeLessThan(-0.9);
  });
});

describe('signal rules', () => {
  it('finds human requests including back-door codes, not look-alikes', () => {
    expect(signalsOf('转人工', 'customer')).toContain('human_request');
    expect(signalsOf('人工！！！', 'customer')).toContain('human_request');
    expect(signalsOf('315', 'customer')).toContain('human_request');
    expect(signalsOf('12315', 'customer')).toEqual(expect.arrayContaining(['human_request', 'complaint_threat']));
    expect(signalsOf('human please', 'customer')).toContain('human_request');
    expect(signalsOf('人工智能推荐的商品能退吗', 'customer')).not.toContain('human_request');
    expect(signalsOf('安装需要另付人工费吗', 'customer')).not.toContain('human_request');
    expect(signalsOf('订单号3158822905', 'customer')).toEqual([]);
    expect(signalsOf('不用转人工了', 'customer')).not.toContain('human_request');
    expect(signalsOf('我不需要人工，已经查到了', 'customer')).not.toContain('human_request');
    expect(signalsOf("I don't need a human, the FAQ answered it", 'customer')).not.toContain('human_request');
  });

  it('scopes rules by role', () => {
    expect(signalsOf('给您申请一张5元优惠券', 'agent')).toContain('coupon_appeasement');
    expect(signalsOf('给您申请一张5元优惠券', 'customer')).not.toContain('coupon_appeasement');
    expect(signalsOf('转人工', 'agent')).not.toContain('human_request');
  });

  it('finds each deflection script and skips its tricky negatives', () => {
    expect(signalsOf('I can offer you a $5 credit for the inconvenience', 'agent')).toContain('coupon_appeasement');
    expect(signalsOf('不是给您发优惠券，是直接退款到原账户', 'agent')).not.toContain('coupon_appeasement');
    expect(signalsOf('优惠券使用规则是满100减10哦', 'agent')).not.toContain('coupon_appeasement');
    expect(signalsOf('24小时内会有专人联系您', 'agent')).toContain('callback_promise');
    expect(signalsOf('没有专人会联系您的，我现在就给您处理', 'agent')).not.toContain('callback_promise');
    expect(signalsOf('all our agents are busy at the moment', 'bot')).toContain('agents_busy');
    expect(signalsOf('当前排队人数较多，请您耐心等待', 'bot')).toContain('agents_busy');
    expect(signalsOf('请在APP内自助办理退款', 'bot')).toContain('self_service_redirect');
    expect(signalsOf('please check our help center', 'bot')).toContain('self_service_redirect');
    expect(signalsOf('已为您修改收货地址', 'agent')).toEqual([]);
  });

  it('finds customer signals and skips their tricky negatives', () => {
    expect(signalsOf('再不处理我就去12315投诉你们', 'customer')).toContain('complaint_threat');
    expect(signalsOf('I will file a chargeback with my bank', 'customer')).toContain('complaint_threat');
    expect(signalsOf('我不是要投诉，就是问一下进度', 'customer')).not.toContain('complaint_threat');
    expect(signalsOf('投诉进度怎么查', 'customer')).not.toContain('complaint_threat');
    expect(signalsOf('气死我了，三天了还没发货', 'customer')).toContain('anger');
    expect(signalsOf('WHERE IS MY REFUND NOW', 'customer')).toContain('anger');
    expect(signalsOf('垃圾袋能单独买吗', 'customer')).not.toContain('anger');
    expect(signalsOf('my SMS code never arrived', 'customer')).not.toContain('anger');
    expect(signalsOf('我已经说了三遍了', 'customer')).toContain('repeat_explanation');
    expect(signalsOf('I already told you the order number', 'customer')).toContain('repeat_explanation');
    expect(signalsOf('解决了，谢谢', 'customer')).toContain('thanks_resolved');
    expect(signalsOf('that fixed it, thanks!', 'customer')).toContain('thanks_resolved');
    expect(signalsOf('还没解决，你们到底能不能处理', 'customer')).not.toContain('thanks_resolved');
    expect(signalsOf('thanks for nothing', 'customer')).not.toContain('thanks_resolved');
  });

  it('does not fire inside quotation marks', () => {
    expect(signalsOf('the bot keeps saying "all our agents are busy"', 'agent')).not.toContain('agents_busy');
    expect(signalsOf('你说的“转人工”是什么意思', 'customer')).not.toContain('human_request');
  });

  it('reports the matched span as offsets into the original text', () => {
    const text = 'Hello, TRANSFER ME please';
    const hit = analyzer.analyze(text).hits.find((h) => h.signal === 'human_request')!;
    expect(text.slice(hit.spanStart, hit.spanEnd)).toBe(hit.matchedText);
    expect(hit.matchedText).toBe('TRANSFER ME');
    expect(hit.confidence).toBeGreaterThanOrEqual(0.9);
  });
});
