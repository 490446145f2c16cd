import { mayVote, type PollView } from '@yitang/shared';
import { presentWith, type RoomData } from '../room/roomState';

/**
 * The "of present" a poll's voter count is shown against: while it is open, those present who
 * may vote, from the room's counts (a big room's presence list is partial for most, its counts
 * are not); once closed, the electorate the server recorded at the close.
 */
export function votersOf(room: Pick<RoomData, 'presenceCounts'>, poll: PollView): number {
  if (poll.stage === 'open' || poll.presentElectorate === null) {
    return presentWith(room, (role) => mayVote(poll.settings, role));
  }
  return poll.presentElectorate;
}
