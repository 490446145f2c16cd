/**
 * Colours for remote carets, dark enough for white name labels (contrast ≥ 4.5:1) and told apart
 * by hue. The caret extension takes only #rrggbb.
 */
export const caretColors = [
  '#9f1c20',
  '#1f5fbf',
  '#1d6b3a',
  '#8a4b00',
  '#6b3fa0',
  '#0f6b73',
  '#a3306b',
  '#4a5a14',
  '#5b4636',
  '#2f4b7c',
] as const;

/** A stable colour per member: the same person has the same caret colour everywhere, every time. */
export function memberColor(memberId: string): string {
  let hash = 0;
  for (const ch of memberId) hash = (Math.imul(hash, 31) + (ch.codePointAt(0) ?? 0)) | 0;
  return caretColors[Math.abs(hash) % caretColors.length] ?? caretColors[0];
}

/** What each client puts in its awareness state under `user`. */
export interface MinutesUser {
  memberId: string;
  name: string;
  color: string;
  /** May edit (false: reading only). */
  editing: boolean;
}

export interface Peer extends MinutesUser {
  /** This tab or another tab of the same person. */
  self: boolean;
}

function userOf(state: unknown): MinutesUser | null {
  if (typeof state !== 'object' || state === null || !('user' in state)) return null;
  const user: unknown = state.user;
  if (typeof user !== 'object' || user === null) return null;
  const { memberId, name, color, editing } = user as Record<string, unknown>;
  if (typeof memberId !== 'string' || typeof name !== 'string') return null;
  return {
    memberId,
    name,
    color: typeof color === 'string' ? color : memberColor(memberId),
    editing: editing === true,
  };
}

/**
 * The people with the minutes open, from the awareness states (clientId → state): one entry per
 * person however many tabs they have (editing if any tab edits), yourself first, then by name.
 */
export function peersOf(states: ReadonlyMap<number, unknown>, selfId: string | undefined): Peer[] {
  const byMember = new Map<string, Peer>();
  for (const state of states.values()) {
    const user = userOf(state);
    if (!user) continue;
    const seen = byMember.get(user.memberId);
    byMember.set(user.memberId, {
      ...user,
      editing: user.editing || (seen?.editing ?? false),
      self: user.memberId === selfId,
    });
  }
  return [...byMember.values()].sort(
    (a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'zh-CN'),
  );
}
