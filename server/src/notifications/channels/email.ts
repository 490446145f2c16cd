import nodemailer from 'nodemailer';
import type { MailSettings } from '../mailer';
import type { Channel } from './types';

/** Email over SMTP (the account mail's settings: SMTP_URL, MAIL_FROM); off without them. */
export function emailChannel(settings: MailSettings): Channel | null {
  const { SMTP_URL, MAIL_FROM } = settings;
  if (!SMTP_URL || !MAIL_FROM) return null;
  const transport = nodemailer.createTransport(
    { url: SMTP_URL, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 },
    { from: MAIL_FROM },
  );
  return {
    name: 'email',
    async send(m) {
      // A refusal from the SMTP server throws, with its reply in the message.
      await transport.sendMail({
        from: MAIL_FROM,
        to: m.to,
        subject: m.subject,
        text: m.text,
        headers: { 'X-Yitang-Delivery': m.id },
      });
    },
    close: () => transport.close(),
  };
}
