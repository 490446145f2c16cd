import { z } from 'zod';
import { Id, MemberView, SessionView } from './domain';

export const DemoLoginBody = z.object({ memberId: Id }).strict();
export type DemoLoginBody = z.infer<typeof DemoLoginBody>;

export const MeResponse = z.object({ member: MemberView.nullable() });
export type MeResponse = z.infer<typeof MeResponse>;

export const MembersResponse = z.object({ members: z.array(MemberView) });
export type MembersResponse = z.infer<typeof MembersResponse>;

export const SessionsResponse = z.object({ sessions: z.array(SessionView) });
export type SessionsResponse = z.infer<typeof SessionsResponse>;

/** The storage key of a session's minutes document (the socket path uses the bare session id). */
export const minutesDocName = (sessionId: string) => `minutes:${sessionId}`;
/** URL path prefix of the minutes socket; the doc name follows it. */
export const MINUTES_PATH = '/minutes';
