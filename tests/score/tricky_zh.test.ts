/**
 * Chinese messages the rules got wrong in an audit (hand-written look-alikes, negation in questions and
 * conditions, full-width input, chat phrasing), and the English cases of the shared negation rule.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { foldFullWidth } from '../../src/score/normalize.js';
import { scoreDatabase } from '../../src/score/scoreDatabase.js';
import { analyzer, insertMessages, scoreOptions } from './helpers.js';

const roleOf: Record<string, string> = {
  human_request: 'customer', complaint_threat: 'customer', anger: 'customer', repeat_explanation: 'customer',
  thanks_resolved: 'customer', coupon_appeasement: 'agent', callback_promise: 'agent', agents_busy: 'bot',
  self_service_redirect: 'agent',
};

const fires = (signal: string, text: string, role = roleOf[signal]!) =>
  analyzer.analyze(text).hits.some((h) => h.signal === signal && !h.context && (h.roles as readonly string[]).includes(role));

const table = (cases: ReadonlyArray<[string, string]>, expected: boolean) => {
  for (const [signal, text] of cases) expect([signal, text, fires(signal, text)]).toEqual([signal, text, expected]);
};

describe('look-alikes that are not the signal', () => {
  it('leaves compounds and other meanings alone', () => {
    table([
      ['agents_busy', '您的订单正在排队出库，预计明天发出'],
      ['agents_busy', '您好，这边物流高峰期可能会有延迟'],
      ['agents_busy', '请稍后再试，系统正在升级'],
      ['agents_busy', '您前面还有一个步骤没有完成哦'],
      ['agents_busy', '请留言备注您需要的尺码'],
      ['self_service_redirect', '退款金额详见下方明细，已为您全额退款'],
      ['self_service_redirect', '您在APP上看到的价格是对的，我已经帮您下单了'],
      ['human_request', '有真人实拍图吗？'],
      ['human_request', '收货人能换个人吗'],
      ['human_request', '能不能让人来上门取件'],
      ['human_request', '上次的人工服务很好，谢谢'],
      ['complaint_threat', '烟雾报警器不响了'],
      ['complaint_threat', '寄到法院路188号'],
      ['complaint_threat', '我是律师事务所的，想开发票'],
      ['complaint_threat', '看到好多差评，质量到底怎么样'],
      ['complaint_threat', '我的快递单号尾号315'],
      ['anger', '行李箱的滚轮掉了'],
      ['anger', '怎么操控无人机？'],
      ['anger', '我家老人有病在身，能加急吗'],
      ['anger', '门铃按了无语音提示'],
      ['anger', '这个垃圾分类垃圾桶有几个格子'],
      ['anger', '一开始有点生气，不过后来解决得很快'],
      ['repeat_explanation', '我的订单重复了，帮我取消一个'],
      ['repeat_explanation', '这个页面往上翻不动了'],
      ['repeat_explanation', '前面说了会送赠品的，怎么没有'],
      ['thanks_resolved', '搞定了吗'],
      ['thanks_resolved', '退款成功了吗？'],
      ['thanks_resolved', '问题解决不了就退款'],
      ['thanks_resolved', '恢复了出厂设置还是不行'],
      ['thanks_resolved', '我已经收到了，但是是坏的'],
      ['coupon_appeasement', '帮您查了一下，这张券已经过期了'],
      ['coupon_appeasement', '已为您把订单使用的优惠券退回账户了'],
      ['coupon_appeasement', '您申请的退款已原路退回，红包抵扣部分会退回账户'],
      ['callback_promise', '快递员稍后会联系您派件，请保持电话畅通'],
      ['callback_promise', '我已经记录好您的新地址，并已为您修改成功'],
      ['callback_promise', '您的退款已成功提交，银行会在3个工作日内处理到账'],
    ], false);
  });

  it('keeps the real signals next to them', () => {
    table([
      ['agents_busy', '人工客服繁忙，您前面还有15人'],
      ['agents_busy', '人工坐席忙碌中，请稍后再试'],
      ['agents_busy', '客服均在忙，请留言'],
      ['human_request', '我要找真人，不要机器人'],
      ['human_request', '别让机器人回答了，换个人来'],
      ['complaint_threat', '等着收律师函吧'],
      ['complaint_threat', '必须给差评'],
      ['anger', '垃圾平台'],
      ['repeat_explanation', '重复了一百遍了，是13号楼不是31号楼'],
      ['repeat_explanation', '前面说了是质量问题，不是不想要'],
      ['repeat_explanation', '前面都说清楚了，你往上翻翻记录'],
      ['thanks_resolved', '解决了，谢谢'],
    ], true);
  });
});

describe('negation in questions and conditions', () => {
  it('does not cancel a request asked as a question or made a condition', () => {
    table([
      ['human_request', '为什么不给我转人工？'],
      ['human_request', '你们怎么不转人工啊'],
      ['human_request', '没有人工吗？'],
      ['human_request', '不转人工我就投诉'],
      ['human_request', "Why can't I talk to a human?"],
      ['complaint_threat', '不退款就投诉'],
      ['complaint_threat', '不处理就曝光'],
      ['complaint_threat', '信不信我发微博'],
      ['anger', '你们不是骗子是什么'],
      ['anger', '你们是不是有病'],
      ['repeat_explanation', '我不是说了三遍了吗'],
      ['coupon_appeasement', '亲别生气哈 给您申请一张10元券'],
      ['coupon_appeasement', '非常抱歉让您久等了，不如给您申请一张优惠券补偿一下'],
    ], true);
  });

  it('still cancels plain negations', () => {
    table([
      ['human_request', '我不需要人工'],
      ['human_request', '不是要转人工，我就问下运费'],
      ['human_request', "I don't need a human"],
      ['complaint_threat', '我没有投诉'],
      ['coupon_appeasement', '这次不给您发优惠券了'],
      ['anger', '我不生气'],
    ], false);
  });

  it('reads the sentiment the same way', () => {
    expect(analyzer.analyze('你们不是骗子是什么').sentiment.label).toBe('negative');
    expect(analyzer.analyze('别提多开心了').sentiment.label).toBe('positive');
    expect(analyzer.analyze('不是很满意').sentiment.label).toBe('negative');
  });
});

describe('full-width letters and digits', () => {
  it('match as their ASCII forms with spans into the original text', () => {
    table([['human_request', '１２３１５'], ['human_request', '３１５'], ['human_request', 'ＡＧＥＮＴ']], true);
    const hit = analyzer.analyze('我要打１２３１５投诉').hits.find((h) => h.signal === 'complaint_threat')!;
    expect(hit.matchedText).toBe('１２３１５');
    expect('我要打１２３１５投诉'.slice(hit.spanStart, hit.spanEnd)).toBe(hit.matchedText);
    expect(foldFullWidth('ＡＢｃ１２，！')).toBe('ABc12，！');
    const plain = '没有全角字符';
    expect(foldFullWidth(plain)).toBe(plain);
  });
});

describe('chat phrasing and typos', () => {
  it('finds them', () => {
    table([
      ['human_request', '转仁工'],
      ['human_request', '转人公'],
      ['agents_busy', '客服小姐姐们都忙不过来啦，请稍等哦～'],
      ['agents_busy', '现在人工都下班了，明天9点再来吧'],
      ['coupon_appeasement', '亲，这边送你一张满50减10的券，别生气了哈😊'],
      ['callback_promise', '这个问题我反馈给专门的同事，明天会给您打电话'],
      ['anger', '我真的很生气'],
      ['anger', '我真的要疯了，你们到底管不管'],
      ['repeat_explanation', '我都说了好几次了'],
      ['thanks_resolved', '可以了，谢谢你'],
      ['thanks_resolved', '好了，谢谢'],
      ['thanks_resolved', 'ok 谢谢'],
      ['thanks_resolved', '问题已经解决啦～谢谢'],
      ['thanks_resolved', '已经能正常登录了，感谢'],
    ], true);
  });
});

describe('conversation rules', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openDatabase(':memory:');
  });
  afterEach(() => db.close());

  const signalsOf = async (signal: string) =>
    (await db.all<{ conversation_id: string; text: string }>(
      `select s.conversation_id, m.text from scores.message_signals s join raw.messages m using (message_key)
       where s.signal = $1 order by m.sent_at`, [signal])).map((r) => `${r.conversation_id}:${r.text}`);

  it('takes only an actual transfer as a hand-over, not a bot greeting', async () => {
    await insertMessages(db, [
      { conversation: 'e', role: 'customer', text: '转人工' },
      { conversation: 'e', role: 'bot', text: '您好，小蜜很高兴为您服务，请问有什么可以帮您？' },
      { conversation: 'g', role: 'customer', text: '转人工' },
      { conversation: 'g', role: 'bot', text: '目前人工客服为您服务的时间已结束，我也可以帮您哦' },
      { conversation: 'q', role: 'customer', text: '转人工' },
      { conversation: 'q', role: 'bot', text: '您好，工号机器人小智为您服务，请问有什么问题？' },
      { conversation: 'j', role: 'customer', text: '转人工' },
      { conversation: 'j', role: 'bot', text: '正在为您转接人工客服，请稍候' },
      { conversation: 'j', role: 'bot', text: '已为您转接人工，请稍等' },
    ]);
    await scoreDatabase(db, scoreOptions());
    expect(await signalsOf('bot_transfer_block')).toEqual([
      'e:您好，小蜜很高兴为您服务，请问有什么可以帮您？',
      'g:目前人工客服为您服务的时间已结束，我也可以帮您哦',
      'q:您好，工号机器人小智为您服务，请问有什么问题？',
    ]);
  });

  it('does not take a report passed on for an action between apologies', async () => {
    await insertMessages(db, [
      { conversation: 'a', role: 'agent', text: '抱歉给您带来不便' },
      { conversation: 'a', role: 'agent', text: '非常抱歉，已为您反馈给相关部门' },
      { conversation: 'a', role: 'agent', text: '真的很抱歉，请您耐心等待' },
      { conversation: 'b', role: 'agent', text: '抱歉' },
      { conversation: 'b', role: 'agent', text: '已为您退款' },
      { conversation: 'b', role: 'agent', text: '抱歉' },
    ]);
    await scoreDatabase(db, scoreOptions());
    expect(await signalsOf('apology_loop')).toEqual(['a:真的很抱歉，请您耐心等待']);
  });

  it('does not count short acknowledgements as canned repetition', async () => {
    await insertMessages(db, [
      { conversation: 'a', role: 'agent', text: '好的' },
      { conversation: 'a', role: 'customer', text: '订单号是123' },
      { conversation: 'a', role: 'agent', text: '好的' },
      { conversation: 'a', role: 'agent', text: '抱歉' },
      { conversation: 'a', role: 'agent', text: '抱歉' },
      { conversation: 'b', role: 'bot', text: '请问有什么可以帮您？' },
      { conversation: 'b', role: 'customer', text: '转人工' },
      { conversation: 'b', role: 'bot', text: '请问有什么可以帮您？' },
    ]);
    await scoreDatabase(db, scoreOptions());
    expect(await signalsOf('canned_repetition')).toEqual(['b:请问有什么可以帮您？']);
  });
});
