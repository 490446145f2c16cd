import { describe, expect, it } from 'vitest';
import { createChannels } from '.';

const all = {
  SMTP_URL: 'smtp://127.0.0.1:2525',
  MAIL_FROM: 'yitang@example.gov.cn',
  SMS_URL: 'http://127.0.0.1:9/sms/send',
  SMS_KEY_ID: 'key',
  SMS_KEY_SECRET: 'secret',
  SMS_SIGN_NAME: '海安政协',
  WECOM_ROBOT_URL: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=k',
  WECOM_CORP_ID: 'ww',
  WECOM_CORP_SECRET: 'corp-secret',
  WECOM_AGENT_ID: '1000002',
};

describe('channels', () => {
  it('are each off while their settings are unset', () => {
    expect([...createChannels({}).keys()]).toEqual([]);
    const every = createChannels(all);
    expect([...every.keys()].sort()).toEqual(['email', 'sms', 'wecom', 'wecomRobot']);
    for (const c of every.values()) c.close?.();
  });

  it.each([
    ['email', ['SMTP_URL', 'MAIL_FROM']],
    ['sms', ['SMS_URL', 'SMS_KEY_ID', 'SMS_KEY_SECRET', 'SMS_SIGN_NAME']],
    ['wecomRobot', ['WECOM_ROBOT_URL']],
    ['wecom', ['WECOM_CORP_ID', 'WECOM_CORP_SECRET', 'WECOM_AGENT_ID']],
  ] as const)('%s needs every one of its settings', (channel, names) => {
    for (const name of names) {
      const channels = createChannels({ ...all, [name]: undefined });
      expect(channels.has(channel), `without ${name}`).toBe(false);
      expect(channels.size, `without ${name}`).toBe(3);
      for (const c of channels.values()) c.close?.();
    }
  });
});
