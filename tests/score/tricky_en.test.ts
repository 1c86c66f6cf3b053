/**
 * English rules against contact-centre look-alikes: each case below failed with the catalog before these
 * rules were tightened or extended (the words that fired, or the wording that was missed, are real
 * contact-centre phrasings). The last block guards phrasings the rules must keep finding.
 */
import { describe, expect, it } from 'vitest';
import { scoreMessages } from '../../src/score/quickCheck.js';
import { analyzer, scoreOptions } from './helpers.js';

const signalsOf = (text: string, role: string) =>
  analyzer
    .analyze(text)
    .hits.filter((h) => !h.signal.startsWith('_') && (h.roles as readonly string[]).includes(role) && !h.context)
    .map((h) => h.signal);
const handsOver = (text: string) => analyzer.analyze(text).hits.some((h) => h.signal === '_handover' && h.roles.includes('bot'));
const labelOf = (text: string) => analyzer.sentimentFor(text, analyzer.analyze(text), 'customer').label;

type Case = [signal: string, role: string, text: string];

const falseAlarms: Case[] = [
  // agents_busy means the human channel is declared unavailable, not that something else is.
  ['agents_busy', 'agent', 'Please try again later, the payment gateway is down for maintenance.'],
  ['agents_busy', 'agent', "The page didn't load? Please try again later."],
  ['agents_busy', 'agent', 'Is everything in line with what you ordered?'],
  ['agents_busy', 'agent', "That's in line with our returns policy."],
  ['agents_busy', 'agent', 'Your refund is in the queue for processing and will be paid today.'],
  ['agents_busy', 'agent', 'Your order is in the queue for dispatch.'],
  ['agents_busy', 'agent', 'Sorry, that item is currently unavailable in size M.'],
  ['agents_busy', 'agent', 'This payment method is currently unavailable.'],
  ['agents_busy', 'agent', 'You can leave a message for the courier in the delivery notes.'],
  ['agents_busy', 'agent', 'This jacket is in high demand, so it may sell out.'],
  ['agents_busy', 'agent', 'Prices are higher than usual during the sale.'],
  // self_service_redirect: the customer is sent away, not merely addressed or told what the agent sees.
  ['self_service_redirect', 'agent', 'Is this for yourself or is it a gift? I can add gift wrap.'],
  ['self_service_redirect', 'agent', 'Did you place the order yourself or through a reseller?'],
  ['self_service_redirect', 'agent', "Don't worry, I've cancelled it, you don't have to do anything yourself."],
  ['self_service_redirect', 'agent', 'I can see in your account that the refund was issued yesterday.'],
  ['self_service_redirect', 'agent', "I've updated the address in your account for you."],
  ['self_service_redirect', 'agent', "Our website was down earlier today, sorry about that. I've placed the order for you."],
  ['self_service_redirect', 'agent', 'Our website shows the parcel was delivered at 2pm.'],
  ['self_service_redirect', 'agent', "I'll follow the steps on my end to reset it for you."],
  ['self_service_redirect', 'agent', 'Let me check our stock levels for you.'],
  // human_request: the staff noun must be asked for, not merely mentioned.
  ['human_request', 'customer', 'I switched operator last month, will the SIM still work?'],
  ['human_request', 'customer', 'My network operator says the number is fine'],
  ['human_request', 'customer', 'My supervisor needs an invoice for this purchase'],
  ['human_request', 'customer', "I'm a manager at a small business and want to order in bulk"],
  ['human_request', 'customer', 'The representative I spoke to yesterday promised a refund'],
  ['human_request', 'customer', 'A representative told me the refund was approved'],
  // complaint_threat: a profession or a platform mentioned is not a threat.
  ['complaint_threat', 'customer', "I'm a lawyer and need an invoice for my firm"],
  ['complaint_threat', 'customer', 'Our family lawyer needs a copy of the contract'],
  ['complaint_threat', 'customer', 'I saw your promo on Twitter, is it still valid?'],
  ['complaint_threat', 'customer', 'I found your store on social media, do you ship to Canada?'],
  // anger: product names and questions about phishing are not insults; acronyms are not shouting.
  ['anger', 'customer', 'I ordered the garbage disposal unit, when will it ship?'],
  ['anger', 'customer', 'Do you sell garbage bags in bulk?'],
  ['anger', 'customer', 'Is this email a scam? It says I won a prize'],
  ['anger', 'customer', 'I got a scam text pretending to be from you'],
  ['anger', 'customer', "My SIM PIN doesn't work"],
  ['anger', 'customer', 'Can you resend the SMS OTP?'],
  // repeat_explanation
  ['repeat_explanation', 'customer', 'I want to start over again with a new account'],
  ['repeat_explanation', 'customer', 'I just said yes to the upgrade, how do I pay?'],
  ['repeat_explanation', 'customer', 'I already said yes to the upgrade, where is it?'],
  // thanks_resolved: thanks followed by "but ... still" is not a resolution.
  ['thanks_resolved', 'customer', "ok thanks but it's still not working"],
  ['thanks_resolved', 'customer', 'Great, thanks, but the app still crashes'],
  ['thanks_resolved', 'customer', "Got it, thanks. However the refund still hasn't arrived."],
  // coupon_appeasement: telling the customer how to use a code is not giving one.
  ['coupon_appeasement', 'agent', 'Please apply the promo code at checkout to get the discount.'],
  ['coupon_appeasement', 'agent', 'You can apply the coupon at checkout.'],
  ['coupon_appeasement', 'agent', "I've added the refund to your credit card."],
  // callback_promise: an automatic notification is not a promise to get back.
  ['callback_promise', 'agent', "Your replacement will ship within 2 days and you'll get an email update."],
  ['callback_promise', 'agent', "Your order will be dispatched within 24 hours and you'll receive a tracking update."],
];

const misses: Case[] = [
  ['agents_busy', 'bot', "We're experiencing high chat volume, responses may be delayed."],
  ['agents_busy', 'bot', 'Our team is swamped at the moment, expect a delay.'],
  ['agents_busy', 'bot', 'All of our advisors are currently engaged with other customers.'],
  ['agents_busy', 'bot', 'Our live chat team is offline right now.'],
  ['agents_busy', 'bot', 'Our support team is overloaded today, replies may be slow.'],
  ['coupon_appeasement', 'agent', "As an apology, here's a 10% discount code for your next order: SORRY10"],
  ['coupon_appeasement', 'agent', "We'd like to compensate you with a $10 voucher."],
  ['coupon_appeasement', 'agent', "I've added 500 bonus points to your account for the trouble."],
  ['coupon_appeasement', 'agent', "I've credited 200 loyalty points to your account."],
  ['callback_promise', 'agent', "We'll give you a call back tomorrow once the team has looked at it."],
  ['callback_promise', 'agent', 'Our escalations team will email you in 2-3 business days.'],
  ["callback_promise", 'agent', "You'll hear back from our specialists within 48 hours."],
  ['anger', 'customer', "I'm so angry right now"],
  ['anger', 'customer', 'This is the worst customer service ever'],
  ['anger', 'customer', 'Worst experience of my life'],
  ['repeat_explanation', 'customer', "I've told you this already!"],
  ['repeat_explanation', 'customer', "I've sent the photos three times now"],
  ['repeat_explanation', 'customer', 'I told you twice'],
  ['thanks_resolved', 'customer', "Thanks, that's sorted"],
  ['thanks_resolved', 'customer', "That's fixed, thank you"],
  ['human_request', 'customer', 'connect me with someone who can actually help'],
  ['human_request', 'customer', 'Is there a person I can talk to?'],
  ['complaint_threat', 'customer', "I'm taking you to court"],
  ['complaint_threat', 'customer', "I'll dispute it with my credit card company"],
  ['complaint_threat', 'customer', "If you don't refund me I'll post this all over Twitter"],
];

describe('English rules: look-alikes do not fire', () => {
  it.each(falseAlarms)('%s not on (%s) %s', (signal, role, text) => {
    expect(signalsOf(text, role)).not.toContain(signal);
  });
});

describe('English rules: real contact-centre phrasings fire', () => {
  it.each(misses)('%s on (%s) %s', (signal, role, text) => {
    expect(signalsOf(text, role)).toContain(signal);
  });
});

describe('English hand-over markers mean an actual transfer', () => {
  it.each([
    'Hi, my name is Ava, your virtual assistant. How can I help?',
    "Sorry, transferring you to an agent isn't possible right now.",
    "I'm unable to transfer you to an agent at the moment.",
    'Before I connect you with an agent, can you tell me your order number?',
    'Would you like me to transfer you to an agent?',
  ])('no hand-over in %s', (text) => {
    expect(handsOver(text)).toBe(false);
  });

  it('counts a bot greeting or a refused transfer after a request for a human as a block', async () => {
    const results = await scoreMessages(
      [
        { conversationId: 'a', role: 'customer', text: 'human please' },
        { conversationId: 'a', role: 'bot', text: 'Hi, my name is Ava, your virtual assistant. How can I help?' },
        { conversationId: 'b', role: 'customer', text: 'human please' },
        { conversationId: 'b', role: 'bot', text: "Sorry, transferring you to an agent isn't possible right now." },
        { conversationId: 'c', role: 'customer', text: 'human please' },
        { conversationId: 'c', role: 'bot', text: 'Sure, transferring you to an agent now.' },
      ],
      scoreOptions(),
    );
    const blocks = results.map((r) => r.signals.some((s) => s.signal === 'bot_transfer_block'));
    expect(blocks).toEqual([false, true, false, true, false, false]);
  });
});

describe('English sentiment', () => {
  it.each([
    ["It isn't working", 'negative'],
    ['this is NOT OK', 'negative'],
    ["I can't thank you enough!", 'positive'],
    ['Never had such a good experience', 'positive'],
    ['Is this email a scam? It says I won a prize', 'neutral'],
  ])('%s is %s', (text, label) => {
    expect(labelOf(text)).toBe(label);
  });
});
