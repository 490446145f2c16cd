import { sessionModeNames } from '@yitang/shared';
import ical from 'ical-generator';
import type { SessionDoc } from '../rooms/room.model';

const modeText = sessionModeNames['zh-CN'];

/**
 * The session as an iCalendar file (RFC 5545) for the invitee's calendar. The end is the start
 * plus the agenda's planned minutes; the UID is stable, so importing it again updates the entry.
 */
export function sessionCalendar(session: SessionDoc, roomName: string, appUrl: string): string {
  const minutes = session.agenda.reduce((sum, item) => sum + item.plannedMinutes, 0) || 60;
  const start = new Date(session.scheduledAt);
  const cal = ical({ name: '议堂', prodId: { company: 'Yitang', product: 'yitang', language: 'ZH' } });
  cal.createEvent({
    id: `${session._id}@yitang`,
    start,
    end: new Date(start.getTime() + minutes * 60_000),
    summary: `协商议事：${session.topic}`,
    location: session.mode === 'online' ? `${roomName}（云协商）` : roomName,
    description: [
      `方式：${modeText[session.mode]}`,
      '议程：',
      ...session.agenda.map((a, n) => `${n + 1}. ${a.title}（${a.plannedMinutes} 分钟）`),
      `进入会场：${appUrl}/s/${encodeURIComponent(session._id)}`,
    ].join('\n'),
    url: `${appUrl}/s/${encodeURIComponent(session._id)}`,
  });
  return cal.toString();
}
