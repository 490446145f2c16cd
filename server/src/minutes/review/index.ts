import type { Router } from 'express';
import type { AuthService } from '../../auth/auth.service';
import { minutesReviewRouter } from './review.router';
import { createMinutesReviewService, type MinutesReviewDeps, type MinutesReviewService } from './review.service';

export { type MinutesReviewModels, minutesReviewModels } from './review.model';
export type { MinutesAccess, MinutesReviewDeps, MinutesReviewService } from './review.service';

export interface MinutesReview {
  /** Mount under /api, before the API's catch-all 404. */
  router: Router;
  /** Call once a session has closed: freezes its minutes as version 'sessionClosed'. */
  onSessionClosed: MinutesReviewService['onSessionClosed'];
  /** The minutes status, for the minutes socket upgrade (writers write in draft/inReview only). */
  status: MinutesReviewService['status'];
  service: MinutesReviewService;
}

/**
 * The minutes review: versions, review status, comments, diffs, archive and export. `auth`
 * resolves the session cookie for the REST routes.
 */
export function createMinutesReview(deps: MinutesReviewDeps & { auth: AuthService }): MinutesReview {
  const service = createMinutesReviewService(deps);
  return {
    router: minutesReviewRouter({ auth: deps.auth, review: service }),
    onSessionClosed: service.onSessionClosed,
    status: service.status,
    service,
  };
}
