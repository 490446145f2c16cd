import type { AccountLinkPurpose } from '@yitang/shared';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger';

/** Email is optional: without SMTP_URL and MAIL_FROM nothing is sent and links are passed on by hand. */
export interface MailSettings {
  /** smtp://host:port or smtps://user:pass@host:port */
  SMTP_URL?: string;
  /** The sender, e.g. 市政协办公室 <yitang@example.gov.cn>. */
  MAIL_FROM?: string;
  /** The address people open Yitang at: links in emails start with it (never with a request's Host). */
  PUBLIC_URL?: string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Turns a path on this site (`/activate/…`) into the link an email carries. */
  link(path: string): string;
  /**
   * Sends one message; true once the SMTP server took it. A failure is logged and answers false:
   * the caller's work (an account created) stands, and it can tell staff the email did not go.
   */
  send(mail: Mail): Promise<boolean>;
  close(): void;
}

/** The waits of one send: a server that does not answer must not hold a staff request for long. */
const timeouts = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 };

/** The mailer these settings describe, or null when email is not configured. */
export function createMailer(settings: MailSettings, logger: Logger): Mailer | null {
  const { SMTP_URL, MAIL_FROM, PUBLIC_URL } = settings;
  if (!SMTP_URL || !MAIL_FROM || !PUBLIC_URL) return null;
  // What the URL names (TLS, auth, port) wins over the defaults beside it.
  const transport = nodemailer.createTransport({ url: SMTP_URL, ...timeouts }, { from: MAIL_FROM });
  return {
    link: (path) => new URL(path, PUBLIC_URL).toString(),
    async send(mail) {
      try {
        await transport.sendMail({ from: MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
        return true;
      } catch (err) {
        logger.warn({ err, to: mail.to, subject: mail.subject }, 'email not sent');
        return false;
      }
    },
    close: () => transport.close(),
  };
}

/** A date and time as people in the committee read them (China Standard Time). */
function shanghai(iso: string, locale: 'zh-CN' | 'en-GB'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** The email carrying a one-time activation or reset link: Chinese first, English second. */
export function accountLinkMail(
  to: string,
  link: { purpose: AccountLinkPurpose; url: string; name: string; login: string; expiresAt: string },
): Mail {
  const until = { zh: shanghai(link.expiresAt, 'zh-CN'), en: `${shanghai(link.expiresAt, 'en-GB')} (UTC+8)` };
  const activate = link.purpose === 'activate';
  const subject = activate ? '议堂账户开通 / Your Yitang account' : '议堂密码重设 / Reset your Yitang password';
  const zh = activate
    ? `市政协议堂已为您开通账户，登录名为“${link.login}”。请在${until.zh}前打开以下链接设置密码：`
    : `市政协办公室为您的议堂账户（登录名“${link.login}”）发出了重设密码的链接。请在${until.zh}前打开以下链接设置新密码：`;
  const en = activate
    ? `A Yitang account has been opened for you with the login name "${link.login}". Open this link before ${until.en} to set your password:`
    : `The CPPCC office sent a link to reset the password of your Yitang account ("${link.login}"). Open it before ${until.en} to set a new password:`;
  const text = [
    `${link.name}，您好：`,
    '',
    zh,
    link.url,
    '',
    '此链接只能使用一次。如果您没有申请，请忽略本邮件，并告知市政协办公室。',
    '',
    '——',
    '',
    `Dear ${link.name},`,
    '',
    en,
    link.url,
    '',
    'The link works once. If you did not expect this email, please ignore it and tell the CPPCC office.',
    '',
  ].join('\n');
  return { to, subject, text };
}
