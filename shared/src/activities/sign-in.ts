import { z } from 'zod';

/**
 * The rotating sign-in code shown on site: six digits that change every period, accepted for the
 * current period and the one before (a code read just before it changes still works). The server
 * computes it as an HMAC of the activity and the period under a key only it holds; nothing per
 * code is stored.
 */
export const signInPeriodSeconds = 30;
export const signInCodeDigits = 6;
/** Wrong codes one person may enter for one activity before a pause of `signInLockSeconds`. */
export const signInTries = 5;
export const signInLockSeconds = 300;

/** GET /api/activities/:id/code — what the screen on site shows. */
export const ActivityCodeView = z.object({
  code: z.string(),
  /** The path a phone opens from the QR code (the client adds the origin). */
  link: z.string(),
  /** When this code stops being the one shown (it is still accepted for one more period). */
  changesAt: z.string(),
  periodSeconds: z.number(),
});
export type ActivityCodeView = z.infer<typeof ActivityCodeView>;

/** The client path that signs the caller in with a code: the QR code on site holds it. */
export const activitySignInPath = (activityId: string, code: string) =>
  `/activities/${encodeURIComponent(activityId)}/sign-in?code=${encodeURIComponent(code)}`;
