import type { NotifyChannel } from '@yitang/shared';
import type { MailSettings } from '../mailer';
import { emailChannel } from './email';
import { type SmsSettings, smsChannel } from './sms';
import type { Channel } from './types';
import { type WecomSettings, wecomAppChannel, wecomRobotChannel } from './wecom';

export type { Channel, Outgoing } from './types';
export type ChannelSettings = MailSettings & SmsSettings & WecomSettings;

/** The channels these settings configure; each is absent (off) when its settings are unset. */
export function createChannels(settings: ChannelSettings): Map<NotifyChannel, Channel> {
  const out = new Map<NotifyChannel, Channel>();
  for (const channel of [
    emailChannel(settings),
    smsChannel(settings),
    wecomAppChannel(settings),
    wecomRobotChannel(settings),
  ]) {
    if (channel) out.set(channel.name, channel);
  }
  return out;
}
