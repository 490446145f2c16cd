import { CHANNEL_TIMEOUT_MS, type Channel, ChannelError, postJson } from './types';

/**
 * WeChat Work (企业微信) and 政务微信, which keeps the same API on its own host: a group robot
 * (a webhook URL with its key) and application messages (corp id and secret → access token →
 * message/send to a member's user id). Each is off until its settings are given.
 */
export interface WecomSettings {
  /** The group robot's webhook, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… */
  WECOM_ROBOT_URL?: string;
  /** Application messages: the API host (政务微信 has its own), corp id, the app's secret and agent id. */
  WECOM_API_BASE?: string;
  WECOM_CORP_ID?: string;
  WECOM_CORP_SECRET?: string;
  WECOM_AGENT_ID?: string;
}

const DEFAULT_API_BASE = 'https://qyapi.weixin.qq.com';
/** The longest span message/send checks for a repeated message (the API's maximum, four hours). */
const DUPLICATE_CHECK_SECONDS = 4 * 3600;
/** Access tokens the API calls invalid or expired: fetch a new one and send once more. */
const TOKEN_ERRORS = new Set([40014, 42001, 41001]);

interface WecomAnswer {
  errcode?: unknown;
  errmsg?: unknown;
  access_token?: unknown;
  expires_in?: unknown;
}

function refused(answer: WecomAnswer): ChannelError {
  return new ChannelError(`WeChat Work refused: ${String(answer.errcode)} ${String(answer.errmsg ?? '')}`.trim());
}

/** The group robot: a markdown message to the group its webhook belongs to. */
export function wecomRobotChannel(settings: WecomSettings): Channel | null {
  const url = settings.WECOM_ROBOT_URL;
  if (!url) return null;
  return {
    name: 'wecomRobot',
    async send(m) {
      const answer = (await postJson(
        url,
        JSON.stringify({ msgtype: 'markdown', markdown: { content: m.markdown } }),
      )) as WecomAnswer;
      if (answer.errcode !== 0) throw refused(answer);
    },
  };
}

/** Application messages to one member (`to` is their user id), with the app's access token cached. */
export function wecomAppChannel(settings: WecomSettings, now: () => number = Date.now): Channel | null {
  const { WECOM_CORP_ID, WECOM_CORP_SECRET, WECOM_AGENT_ID } = settings;
  if (!WECOM_CORP_ID || !WECOM_CORP_SECRET || !WECOM_AGENT_ID) return null;
  const base = (settings.WECOM_API_BASE ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  let token: { value: string; until: number } | null = null;
  let fetching: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const url = new URL(`${base}/cgi-bin/gettoken`);
    url.searchParams.set('corpid', WECOM_CORP_ID ?? '');
    url.searchParams.set('corpsecret', WECOM_CORP_SECRET ?? '');
    const res = await fetch(url, { signal: AbortSignal.timeout(CHANNEL_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) throw new ChannelError(`token: HTTP ${res.status}`);
    const answer = (await res.json().catch(() => ({}))) as WecomAnswer;
    if (answer.errcode !== 0 || typeof answer.access_token !== 'string') throw refused(answer);
    const seconds = typeof answer.expires_in === 'number' ? answer.expires_in : 7200;
    // Renewed five minutes early, as the API asks: a token may be cut short by a new one.
    token = { value: answer.access_token, until: now() + Math.max(60, seconds - 300) * 1000 };
    return answer.access_token;
  }

  /** One token request at a time for all sends, as the API limits gettoken calls. */
  async function accessToken(): Promise<string> {
    if (token && token.until > now()) return token.value;
    fetching ??= fetchToken().finally(() => {
      fetching = null;
    });
    return fetching;
  }

  async function post(to: string, markdown: string, value: string): Promise<WecomAnswer> {
    const url = `${base}/cgi-bin/message/send?access_token=${encodeURIComponent(value)}`;
    return (await postJson(
      url,
      JSON.stringify({
        touser: to,
        msgtype: 'markdown',
        agentid: Number(WECOM_AGENT_ID),
        markdown: { content: markdown },
        // The API's own guard against a repeat: a send retried after a crash that lost its answer
        // (the delivery not yet marked sent) is dropped by WeChat Work within four hours.
        enable_duplicate_check: 1,
        duplicate_check_interval: DUPLICATE_CHECK_SECONDS,
      }),
    )) as WecomAnswer;
  }

  return {
    name: 'wecom',
    async send(m) {
      let answer = await post(m.to, m.markdown, await accessToken());
      if (typeof answer.errcode === 'number' && TOKEN_ERRORS.has(answer.errcode)) {
        token = null;
        answer = await post(m.to, m.markdown, await accessToken());
      }
      if (answer.errcode !== 0) throw refused(answer);
    },
  };
}
