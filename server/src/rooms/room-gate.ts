import { AppError } from '../errors';
import type { LiveRoomDeps } from './live-room';

/** What a call through a shut gate throws: the room is no longer this process's to change. */
const gone = () => new AppError('UNAVAILABLE', 'This session is no longer served by this server; connect again.');

/**
 * `target` with every method refused (thrown `UNAVAILABLE`) once `shut()` holds. A call made
 * before runs to its end; nothing started afterwards reaches the target.
 */
function shutWhen<T extends object>(target: T, shut: () => boolean): T {
  return new Proxy(target, {
    get(t, key) {
      const value: unknown = Reflect.get(t, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (shut()) throw gone();
        return Reflect.apply(value, t, args);
      };
    },
  });
}

/**
 * A room's dependencies as the room sees them: once `shut()` holds (the room was disposed), its
 * repositories refuse every call and its notices to the minutes go nowhere. A disposed room may
 * still be reached by what was under way when it was disposed (a turn's timer already running,
 * a ballot being written, a join waiting for its snapshot); none of it writes anything new.
 */
export function gateDeps<D extends LiveRoomDeps>(deps: D, shut: () => boolean): D {
  const { notify } = deps;
  return {
    ...deps,
    rooms: shutWhen(deps.rooms, shut),
    polls: shutWhen(deps.polls, shut),
    suggestions: shutWhen(deps.suggestions, shut),
    outcomes: shutWhen(deps.outcomes, shut),
    ...(notify
      ? {
          notify: (notice: Parameters<typeof notify>[0]) => {
            if (!shut()) notify(notice);
          },
        }
      : {}),
  };
}
