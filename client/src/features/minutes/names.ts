import { useEffect, useMemo } from 'react';
import { useAppStore } from '../../store';

/**
 * Names for member ids on the minutes pages: people the room has shown us, then every account the
 * server lists; an unknown id is shown as it is.
 */
export function useMemberNames(): (memberId: string) => string {
  const roomNames = useAppStore((s) => s.names);
  const members = useAppStore((s) => s.members);
  const membersStatus = useAppStore((s) => s.membersStatus);
  const loadMembers = useAppStore((s) => s.loadMembers);
  useEffect(() => {
    if (membersStatus === 'idle') void loadMembers();
  }, [membersStatus, loadMembers]);
  return useMemo(() => {
    const names = new Map<string, string>(members.map((m) => [m.id, m.name]));
    for (const [id, name] of Object.entries(roomNames)) names.set(id, name);
    return (memberId: string) => names.get(memberId) ?? memberId;
  }, [roomNames, members]);
}
