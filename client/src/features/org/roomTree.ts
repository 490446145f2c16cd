import type { OrgMemberView, OrgRoomView } from '@yitang/shared';

export interface RoomNode {
  room: OrgRoomView;
  children: RoomNode[];
  /** 0 for a top room. */
  depth: number;
}

const byName = (a: OrgRoomView, b: OrgRoomView) => a.name.localeCompare(b.name, 'zh-CN') || (a.id < b.id ? -1 : 1);

/**
 * The rooms as a tree by parent (city → town → village). A room whose parent is missing, or that
 * sits in a loop of parents (old data), is shown at the top rather than lost.
 */
export function buildRoomTree(rooms: OrgRoomView[]): RoomNode[] {
  const ids = new Set(rooms.map((r) => r.id));
  const childrenOf = new Map<string, OrgRoomView[]>();
  const roots: OrgRoomView[] = [];
  for (const r of rooms) {
    if (r.parentId && ids.has(r.parentId) && r.parentId !== r.id) {
      childrenOf.set(r.parentId, [...(childrenOf.get(r.parentId) ?? []), r]);
    } else roots.push(r);
  }
  const placed = new Set<string>();
  const grow = (room: OrgRoomView, depth: number): RoomNode => {
    placed.add(room.id);
    const children = (childrenOf.get(room.id) ?? [])
      .filter((c) => !placed.has(c.id))
      .sort(byName)
      .map((c) => grow(c, depth + 1));
    return { room, children, depth };
  };
  const tree = roots.sort(byName).map((r) => grow(r, 0));
  // Rooms only reachable through a loop of parents: shown at the top.
  for (const r of rooms.filter((x) => !placed.has(x.id)).sort(byName)) {
    if (!placed.has(r.id)) tree.push(grow(r, 0));
  }
  return tree;
}

/** The tree flattened in display order, for a list or a parent picker. */
export function flattenTree(nodes: RoomNode[]): RoomNode[] {
  return nodes.flatMap((n) => [n, ...flattenTree(n.children)]);
}

export interface MemberFilter {
  sectorId: string;
  workingGroupId: string;
  districtId: string;
  status: string;
  text: string;
}

export const noFilter: MemberFilter = { sectorId: '', workingGroupId: '', districtId: '', status: '', text: '' };

/** Members matching every filter that is set ('' means any); text matches name, title or a tag. */
export function filterMembers(members: OrgMemberView[], f: MemberFilter): OrgMemberView[] {
  const text = f.text.trim();
  return members.filter(
    (m) =>
      (!f.sectorId || m.sectorId === f.sectorId) &&
      (!f.workingGroupId || m.workingGroupId === f.workingGroupId) &&
      (!f.districtId || m.districtId === f.districtId) &&
      (!f.status || m.status === f.status) &&
      (!text || m.name.includes(text) || m.title.includes(text) || m.expertise.some((e) => e.includes(text))),
  );
}

/** Expertise tags as typed: split on Chinese or Latin commas, spaces dropped, each once. */
export function parseTags(input: string): string[] {
  return [
    ...new Set(
      input
        .split(/[,，、;；]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
