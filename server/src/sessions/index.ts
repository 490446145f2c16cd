/**
 * The sessions module: a session's owner (its conveners), its membership (invitations with a
 * role each, or open to all members), RSVP and leave (请假), the hall code, and the one step
 * after a session closes. Other modules read sessions through these functions.
 */
export { HallCodes, HallCodeTries } from '../auth/hall-code';
export { isChair, notInvitedMessage, roleIn } from '../rooms/roles';
export type { AttendanceDoc, SessionDoc, SessionInvitation } from '../rooms/room.model';
export { absentWithoutLeave } from './absence';
export { AfterClose, type AfterCloseEvent, type AfterCloseStep, type AfterCloseSubscriber } from './after-close';
export { type ArchiveSession, type HeldSession, type SessionReads, sessionReads } from './session.reads';
export { sessionRouter } from './session.router';
export { createSessionService, type MembershipChange, type SessionService } from './session.service';
