import type { Collection, Document } from 'mongodb';
import mongoose, { type Connection, type Model } from 'mongoose';
import { accountModels } from '../accounts/account.model';
import { activityModels } from '../activities/activity.model';
import { auditModels } from '../audit/audit.model';
import { authModels } from '../auth/auth.model';
import { consultationModels } from '../consultation/consultation.model';
import { dutyReportModels } from '../duty-reports/duty-report.model';
import { hotlineModels } from '../hotline/hotline.model';
import { memberModels } from '../members/member.model';
import { minutesModels } from '../minutes/minutes.model';
import { minutesReviewModels } from '../minutes/review/review.model';
import { notificationModels } from '../notifications/notification.model';
import { notifyModels } from '../notifications/notify.model';
import { orgModels } from '../org/org.model';
import { outcomeModels } from '../outcomes/outcome.model';
import { pollModels } from '../polls/poll.model';
import { proposalModels } from '../proposals/proposal.model';
import { roomModels } from '../rooms/room.model';
import { scoringModels } from '../scoring/scoring.model';
import { paperModels } from '../sessions/paper.model';
import { socialReportModels } from '../social-reports/social-report.model';
import { suggestionModels } from '../suggestions/suggestion.model';
import { topicModels } from '../topics/topic.model';
import { trackingModels } from '../tracking/tracking.model';

const byConnection = new WeakMap<Connection, Models>();

/**
 * Binds every model to one connection; nothing is registered on mongoose's global default.
 * A connection compiles its models once, so repeated calls return the same set.
 */
export function createModels(conn: Connection): Models {
  let models = byConnection.get(conn);
  if (!models) {
    models = compileModels(conn);
    byConnection.set(conn, models);
  }
  return models;
}

function compileModels(conn: Connection) {
  return {
    ...memberModels(conn),
    ...roomModels(conn),
    ...pollModels(conn),
    ...authModels(conn),
    ...minutesModels(conn),
    ...minutesReviewModels(conn),
    ...suggestionModels(conn),
    ...outcomeModels(conn),
    ...trackingModels(conn),
    ...scoringModels(conn),
    ...topicModels(conn),
    ...notificationModels(conn),
    ...notifyModels(conn),
    ...hotlineModels(conn),
    ...auditModels(conn),
    ...accountModels(conn),
    ...orgModels(conn),
    ...socialReportModels(conn),
    ...consultationModels(conn),
    ...proposalModels(conn),
    ...paperModels(conn),
    ...activityModels(conn),
    ...dutyReportModels(conn),
  };
}

export type Models = ReturnType<typeof compileModels>;

/** Builds every index before the server takes traffic, so uniqueness holds from the first write. */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.init();
}

/**
 * The driver's collection behind a model, typed by its document. Hot write paths use it to skip
 * mongoose casting; the schema still owns the indexes.
 */
export function rawCollection<T extends Document>(model: Model<T>): Collection<T> {
  const db = model.db.db;
  if (!db) throw new Error(`database not connected for ${model.modelName}`);
  return db.collection<T>(model.collection.collectionName);
}

/**
 * Marks a query operator written by our own code. Filters are sanitised (`sanitizeFilter`), so
 * an operator that did not come through here is treated as a literal value.
 */
export function trusted<T extends object>(selector: T): T {
  return mongoose.trusted(selector) as T;
}
