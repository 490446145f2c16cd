import {
  ActivityKind,
  activityKindNames,
  MinimumId,
  minimumNames,
  type NotifyKind,
  type NotifyLocale,
} from '@yitang/shared';

/** A message as every channel carries it: a subject, plain text, and the link it leads to. */
export interface Rendered {
  subject: string;
  text: string;
  /** Markdown for WeChat Work (the robot and application messages). */
  markdown: string;
}

/** A date and time as people in the committee read them (China Standard Time). */
function shanghai(iso: string | undefined, locale: NotifyLocale): string {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) return iso ?? '';
  const text = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(at);
  return locale === 'zh-CN' ? text : `${text} (UTC+8)`;
}

type Params = Record<string, string>;

/** A name from the shared vocabulary inside an English sentence ("One proposal" → "one proposal"). */
const inSentence = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** Coming sessions (`topic|YYYY-MM-DD` per line in `p.upcoming`) as a list in the reader's language. */
function sessions(lines: string | undefined, locale: NotifyLocale): string {
  const items = (lines ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const cut = line.lastIndexOf('|');
      const topic = cut < 0 ? line : line.slice(0, cut);
      const day = cut < 0 ? '' : line.slice(cut + 1);
      return locale === 'zh-CN' ? `“${topic}”（${day}）` : `"${topic}" (${day})`;
    });
  return items.join(locale === 'zh-CN' ? '；' : '; ');
}

/**
 * Coming activities (`title|YYYY-MM-DD|kind|link` per line in `p.activities`) as a list in the
 * reader's language, each with the link to its page. The fields are read from the right, so a
 * title may hold the separator.
 */
function activities(lines: string | undefined, locale: NotifyLocale): string {
  const items = (lines ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parts = line.split('|');
      const link = parts.pop() ?? '';
      const kind = ActivityKind.safeParse(parts.pop());
      const day = parts.pop() ?? '';
      const title = parts.join('|');
      if (locale === 'zh-CN') {
        const label = kind.success ? `${activityKindNames['zh-CN'][kind.data]}，` : '';
        return `“${title}”（${label}${day}，${link}）`;
      }
      const label = kind.success ? `${inSentence(activityKindNames.en[kind.data])}, ` : '';
      return `"${title}" (${label}${day}, ${link})`;
    });
  return items.join(locale === 'zh-CN' ? '；' : '; ');
}

/**
 * The minimums named by id (comma-separated in `p.missing`), in the reader's language. Given a
 * `max` length (a text message's variable), whole names are kept while they fit and "等" says
 * that more follow.
 */
export function minimums(ids: string | undefined, locale: NotifyLocale, max = Number.POSITIVE_INFINITY): string {
  const known = (ids ?? '').split(',').flatMap((id) => {
    const parsed = MinimumId.safeParse(id);
    return parsed.success ? [parsed.data] : [];
  });
  const names =
    locale === 'zh-CN'
      ? known.map((id) => minimumNames['zh-CN'][id])
      : known.map((id) => inSentence(minimumNames.en[id]));
  const [sep, more] = locale === 'zh-CN' ? ['、', '等'] : [', ', ' and more'];
  let out = '';
  for (const [i, name] of names.entries()) {
    const next = out ? `${out}${sep}${name}` : name;
    const after = i < names.length - 1 ? more : '';
    if (next.length + after.length > max) return out ? `${out}${more}` : name.slice(0, max);
    out = next;
  }
  return out;
}
type Template = (p: Params, locale: NotifyLocale) => { subject: string; body: string };

/**
 * One template per kind and language. Chinese text uses Chinese punctuation; `p` holds what the
 * job knew (topic, time, deadline, level …).
 */
const templates: Record<NotifyKind, Record<NotifyLocale, Template>> = {
  sessionDayBefore: {
    'zh-CN': (p, l) => ({
      subject: `明日协商：${p.topic}`,
      body: `您受邀参加的协商议事活动“${p.topic}”将于${shanghai(p.at, l)}举行。${p.rsvp === '1' ? '您尚未回复是否参加，请尽快确认出席或请假。' : '请准时参加。'}`,
    }),
    en: (p, l) => ({
      subject: `Tomorrow: ${p.topic}`,
      body: `The consultation "${p.topic}" you are invited to takes place at ${shanghai(p.at, l)}.${p.rsvp === '1' ? ' You have not answered yet: please say whether you will attend or ask for leave.' : ' Please be on time.'}`,
    }),
  },
  sessionHourBefore: {
    'zh-CN': (p, l) => ({
      subject: `一小时后开始：${p.topic}`,
      body: `协商议事活动“${p.topic}”将于${shanghai(p.at, l)}开始。${p.rsvp === '1' ? '您尚未回复是否参加，请确认。' : ''}`,
    }),
    en: (p, l) => ({
      subject: `Starting within the hour: ${p.topic}`,
      body: `The consultation "${p.topic}" starts at ${shanghai(p.at, l)}.${p.rsvp === '1' ? ' You have not answered yet: please do.' : ''}`,
    }),
  },
  floorYours: {
    'zh-CN': (p) => ({ subject: `请您发言：${p.topic}`, body: `“${p.topic}”的发言轮到您了。` }),
    en: (p) => ({ subject: `Your turn to speak: ${p.topic}`, body: `It is your turn to speak in "${p.topic}".` }),
  },
  // A draft waits to be sent to review (its recorders and the first convener); a version in review, approvals.
  minutesReview: {
    'zh-CN': (p) =>
      p.status === 'draft'
        ? {
            subject: `会议纪要待提交审阅：${p.topic}`,
            body: `协商议事活动“${p.topic}”的会议纪要草稿尚未提交审阅，请整理后提交。`,
          }
        : {
            subject: `会议纪要待您审阅：${p.topic}`,
            body: `协商议事活动“${p.topic}”的会议纪要正等待您审阅或批准。`,
          },
    en: (p) =>
      p.status === 'draft'
        ? {
            subject: `Minutes to send to review: ${p.topic}`,
            body: `The draft minutes of "${p.topic}" have not been sent to review yet: please finish and send them.`,
          }
        : {
            subject: `Minutes await your review: ${p.topic}`,
            body: `The minutes of "${p.topic}" are waiting for your review or approval.`,
          },
  },
  trackingDueWeek: {
    'zh-CN': (p) => ({
      subject: `督办事项一周后到期：${p.text}`,
      body: `督办事项“${p.text}”（${p.department}）的办理期限为${p.deadline}，还有一周。请及时报送进展。`,
    }),
    en: (p) => ({
      subject: `Tracking item due in a week: ${p.text}`,
      body: `The tracking item "${p.text}" (${p.department}) is due on ${p.deadline}, a week from now. Please report progress.`,
    }),
  },
  trackingDueDay: {
    'zh-CN': (p) => ({
      subject: `督办事项明天到期：${p.text}`,
      body: `督办事项“${p.text}”（${p.department}）的办理期限为${p.deadline}，明天到期。请及时报送办理结果。`,
    }),
    en: (p) => ({
      subject: `Tracking item due tomorrow: ${p.text}`,
      body: `The tracking item "${p.text}" (${p.department}) is due tomorrow, ${p.deadline}. Please report the result.`,
    }),
  },
  trackingOverdue: {
    'zh-CN': (p) => ({
      subject: `催办（第${p.level}级）：${p.text}`,
      body: `督办事项“${p.text}”（${p.department}）已超过办理期限${p.deadline}，现予催办（第${p.level}级）。请尽快办理并报送进展。`,
    }),
    en: (p) => ({
      subject: `Chased (level ${p.level}): ${p.text}`,
      body: `The tracking item "${p.text}" (${p.department}) is past its deadline of ${p.deadline} and has been chased (level ${p.level}). Please act and report progress.`,
    }),
  },
  quarterlyMinimums: {
    'zh-CN': (p, l) => ({
      subject: '履职提醒：本年度“六个一”尚未完成的项目',
      body: `您本年度尚未完成的“六个一”项目：${minimums(p.missing, l)}。${p.upcoming ? `近期适合您的协商议事活动：${sessions(p.upcoming, l)}。` : ''}${p.activities ? `近期邀请您参加、适合您专长的履职活动：${activities(p.activities, l)}。` : ''}`,
    }),
    en: (p, l) => ({
      subject: 'Duty reminder: the yearly minimums still open',
      body: `This year you still miss: ${minimums(p.missing, l)}.${p.upcoming ? ` Consultations coming up and fitting your expertise: ${sessions(p.upcoming, l)}.` : ''}${p.activities ? ` Activities you are invited to that fit your expertise: ${activities(p.activities, l)}.` : ''}`,
    }),
  },
};

/** The message of `kind` in `locale`, with the link at its end. */
export function render(kind: NotifyKind, params: Params, locale: NotifyLocale, link: string): Rendered {
  const { subject, body } = templates[kind][locale](params, locale);
  const open = locale === 'zh-CN' ? '打开议堂查看：' : 'Open in Yitang: ';
  const sign = locale === 'zh-CN' ? '【市政协议堂】' : '[Yitang]';
  return {
    subject,
    text: `${sign}${body}\n${open}${link}`,
    markdown: `**${subject}**\n${body}\n[${locale === 'zh-CN' ? '打开议堂' : 'Open in Yitang'}](${link})`,
  };
}
