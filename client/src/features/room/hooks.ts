import type { ClientEventName } from '@yitang/shared';
import { useAppStore } from '../../store';
import { type Hindrance, hindrance, mayEmit } from './permissions';

export interface Capability {
  /** The role may send it: show the control. */
  shown: boolean;
  /** Why it would be refused right now (disable the control and say why), or null. */
  hindrance: Hindrance | null;
}

/** Whether you may send `event` in this room now, by the shared rules. */
export function useCapability(event: ClientEventName): Capability {
  const role = useAppStore((s) => s.you?.role);
  const state = useAppStore((s) => s.session?.state);
  const muted = useAppStore((s) => s.you?.muted ?? false);
  if (!role || !state || !mayEmit(role, event)) return { shown: false, hindrance: null };
  return { shown: true, hindrance: hindrance({ role, state, muted }, event) };
}

/** A participant's name: from presence, else from anyone this room has shown us, else the id. */
export function useNameOf(): (memberId: string) => string {
  const names = useAppStore((s) => s.names);
  return (memberId) => names[memberId] ?? memberId;
}
