import { createHash, createHmac } from 'node:crypto';
import { minimumNames, NotifyKind } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { parseTemplates, SMS_VARIABLES, smsRequest, smsSignature, smsStringToSign } from './channels/sms';
import { render } from './templates';

const params = {
  topic: '南门小吃街',
  at: '2026-03-02T01:30:00.000Z',
  rsvp: '1',
  text: '修复路灯',
  department: '市城市管理局',
  deadline: '2026-03-09',
  level: '2',
  missing: 'proposal,socialReport',
  upcoming: 'Nanmen snacks|2026-03-10',
  activities: '法律援助站点|视察|2026-03-12|inspection|https://yitang.example.gov.cn/activities/act-1',
};
const link = 'https://yitang.example.gov.cn/s/s-1';

describe('templates', () => {
  it.each(NotifyKind.options)('%s has a Chinese and an English message with the link', (kind) => {
    const zh = render(kind, params, 'zh-CN', link);
    const en = render(kind, params, 'en', link);
    for (const m of [zh, en]) {
      expect(m.subject.length).toBeGreaterThan(0);
      expect(m.text).toContain(link);
      expect(m.markdown).toContain(`(${link})`);
    }
    // Chinese text uses Chinese punctuation: no ASCII comma, colon, full stop or brackets outside
    // the link and the values put in.
    const body = zh.text
      .replace(link, '')
      .replace(/https:\/\/[^\s）；]+/g, '')
      .replace(/\d{4}-\d{2}-\d{2}/g, '')
      .replace(/\d{1,2}:\d{2}/g, '');
    expect(body).not.toMatch(/[,:;!?()]|\.(?!\d)/);
    expect(en.text).not.toMatch(/[，。：；！？（）]/);
  });

  it('names the minimums in the reader’s language', () => {
    expect(render('quarterlyMinimums', params, 'zh-CN', link).text).toContain('一件提案、一篇社情民意信息');
    expect(render('quarterlyMinimums', params, 'en', link).text).toContain(
      'one proposal, one social-conditions report',
    );
  });

  it('names coming activities with their kind, day and link, in the reader’s language', () => {
    const zh = render('quarterlyMinimums', params, 'zh-CN', link).text;
    expect(zh).toContain(
      '履职活动：“法律援助站点|视察”（视察，2026-03-12，https://yitang.example.gov.cn/activities/act-1）',
    );
    const en = render('quarterlyMinimums', params, 'en', link).text;
    expect(en).toContain(
      '"法律援助站点|视察" (inspection, 2026-03-12, https://yitang.example.gov.cn/activities/act-1)',
    );
    expect(render('quarterlyMinimums', { ...params, activities: '' }, 'zh-CN', link).text).not.toContain('履职活动');
  });

  it('call the product by its name, 议堂 (议事堂 is not what the app calls itself)', () => {
    for (const kind of NotifyKind.options) {
      const zh = render(kind, params, 'zh-CN', link);
      expect(zh.text.startsWith('【市政协议堂】')).toBe(true);
      expect(zh.text).toContain(`打开议堂查看：${link}`);
      expect(`${zh.text}${zh.markdown}`).not.toContain('议事堂');
    }
  });

  it('asks for a draft of the minutes to be sent to review, and for a version in review to be approved', () => {
    expect(render('minutesReview', { ...params, status: 'draft' }, 'zh-CN', link).text).toContain('尚未提交审阅');
    expect(render('minutesReview', { ...params, status: 'draft' }, 'en', link).subject).toContain('send to review');
    expect(render('minutesReview', { ...params, status: 'inReview' }, 'zh-CN', link).text).toContain('审阅或批准');
    // A forwarded approval notice carries no status: it asks for approval.
    expect(render('minutesReview', params, 'zh-CN', link).text).toContain('审阅或批准');
  });

  it('asks an invitee who has not answered to RSVP, and not one who has', () => {
    expect(render('sessionDayBefore', params, 'zh-CN', link).text).toContain('请尽快确认出席或请假');
    expect(render('sessionDayBefore', { ...params, rsvp: '0' }, 'zh-CN', link).text).not.toContain('请假');
  });
});

describe('the SMS signature', () => {
  it('covers method, path, timestamp, nonce and the body’s hash', () => {
    const body = '{"phone":"13800000001"}';
    const signed = smsStringToSign('/sms/send', '1700000000', 'n-1', body);
    expect(signed).toBe(
      ['POST', '/sms/send', '1700000000', 'n-1', createHash('sha256').update(body).digest('hex')].join('\n'),
    );
    expect(smsSignature('secret', signed)).toBe(createHmac('sha256', 'secret').update(signed).digest('base64'));
    expect(smsSignature('secret', smsStringToSign('/sms/send', '1700000000', 'n-1', `${body} `))).not.toBe(
      smsSignature('secret', signed),
    );
  });
});

describe('a text message', () => {
  const templates = parseTemplates('sessionDayBefore=SMS_1, sessionDayBefore.rsvp=SMS_2, quarterlyMinimums=SMS_9');
  const message = (kind: NotifyKind, extra: Record<string, string> = {}) => ({
    id: `job#1:m-1:sms`,
    to: '13800000001',
    kind,
    locale: 'zh-CN' as const,
    params: { ...params, ...extra },
  });

  it('is what the providers’ SendSms take: phone, sign name, template, variables by name and in order, out id', () => {
    expect(smsRequest(message('sessionDayBefore', { rsvp: '0' }), '海安政协', templates)).toEqual({
      phone: '13800000001',
      signName: '海安政协',
      templateId: 'SMS_1',
      params: { topic: '南门小吃街', at: '2026-03-02 09:30' },
      paramSet: ['南门小吃街', '2026-03-02 09:30'],
      outId: 'job#1:m-1:sms',
    });
  });

  it('asks to RSVP through a template of its own, when one is given', () => {
    expect(smsRequest(message('sessionDayBefore'), '海安政协', templates).templateId).toBe('SMS_2');
    // Without an RSVP template of its own, the kind's.
    expect(smsRequest(message('sessionHourBefore'), '海安政协', templates).templateId).toBe('sessionHourBefore');
  });

  it('names the minimums in the reader’s words, cut to what a variable takes', () => {
    const zh = smsRequest(message('quarterlyMinimums'), '海安政协', templates);
    expect(zh.params).toEqual({ missing: '一件提案、一篇社情民意信息' });
    // All six do not fit in one variable: whole names while they fit, then 等.
    const all = 'research,proposal,socialReport,consultation,goodDeed,investment';
    const six = smsRequest(message('quarterlyMinimums', { missing: all }), '海安政协', templates).params.missing ?? '';
    expect(six.length).toBeLessThanOrEqual(35);
    expect(six).toMatch(/^一次专题调研、一件提案、.*等$/);
    expect(
      six
        .slice(0, -1)
        .split('、')
        .every((n) => Object.values(minimumNames['zh-CN']).includes(n)),
    ).toBe(true);
    const long = smsRequest(message('trackingOverdue', { text: '修'.repeat(50) }), '海安政协', templates);
    expect(long.params.text).toHaveLength(35);
    expect(long.paramSet).toEqual(['修'.repeat(35), '市城市管理局', '2026-03-09', '2']);
  });

  it.each(NotifyKind.options)('%s sends only variables its message is filled with', (kind) => {
    for (const name of SMS_VARIABLES[kind]) expect(Object.keys(params)).toContain(name);
  });
});
