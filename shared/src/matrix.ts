import { SessionRole } from './domain';
import {
  type ClientEventName,
  clientEventSchemas,
  eventRoles,
  liveOnlyEvents,
  mutedRefused,
  readOnlyEvents,
} from './events';
import { SessionActor, SessionRight, sessionRights } from './sessions';

/** Short column heads for the role matrix in docs/protocol.md. */
const heads: Record<SessionRole, string> = {
  firstConvener: '1st conv.',
  secondConvener: '2nd conv.',
  member: 'member',
  departmentRep: 'dept. rep',
  stakeholder: 'stakeh.',
  citizenRep: 'citizen',
  leader: 'leader',
  recorder: 'recorder',
  staff: 'staff',
  observer: 'observer',
};

/**
 * The role × event matrix as a Markdown table, generated from `eventRoles` so the document
 * cannot drift from the rule the server enforces (a unit test compares the two).
 */
export function roleMatrixMarkdown(): string {
  const roles = SessionRole.options;
  const events = Object.keys(clientEventSchemas) as ClientEventName[];
  const lines = [
    `| event | ${roles.map((r) => heads[r]).join(' | ')} | live only | after close | muted |`,
    `| --- | ${roles.map(() => ':-:').join(' | ')} | :-: | :-: | :-: |`,
  ];
  for (const e of events) {
    const cells = roles.map((r) => (eventRoles[e].includes(r) ? '✓' : ''));
    lines.push(
      `| \`${e}\` | ${cells.join(' | ')} | ${liveOnlyEvents.has(e) ? 'yes' : ''} | ${readOnlyEvents.has(e) ? 'allowed' : 'refused'} | ${mutedRefused.has(e) ? 'refused' : ''} |`,
    );
  }
  return lines.join('\n');
}

/** Column heads of the session rights table. */
const actorHeads: Record<SessionActor, string> = {
  staff: 'staff',
  convener: 'convener',
  invitee: 'invitee',
  plenaryMember: 'member (open to all)',
  other: 'anyone else',
};

/** The session rights (`sessionRights`) as a Markdown table for docs/protocol.md. */
export function sessionRightsMarkdown(): string {
  const actors = SessionActor.options;
  const lines = [
    `| right | ${actors.map((a) => actorHeads[a]).join(' | ')} |`,
    `| --- | ${actors.map(() => ':-:').join(' | ')} |`,
  ];
  for (const right of SessionRight.options) {
    lines.push(`| ${right} | ${actors.map((a) => (sessionRights[right].includes(a) ? '✓' : '')).join(' | ')} |`);
  }
  return lines.join('\n');
}
