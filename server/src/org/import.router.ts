import { limits, type MemberImportRejected, type MemberImportResponse, type MemberView } from '@yitang/shared';
import express, { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember } from '../http/middleware';
import { type MemberImporter, MemberImportRefused } from './import';

/**
 * POST /api/org/members/import (staff): the CSV or XLSX file itself as the body. `?dryRun=1`
 * answers the report and writes nothing; without it the members are written only when the file
 * has no problem (400 with the report otherwise), and the answer carries their activation links.
 * The paths are whole, so the org router mounts this one without a prefix.
 */
export function memberImportRouter(deps: { auth: AuthService; importer: MemberImporter }): Router {
  const r = Router();
  r.post(
    '/org/members/import',
    requireMember(deps.auth),
    // Staff only, before a byte of the file is read.
    (_req, res, next) => {
      if ((res.locals.member as MemberView).kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff import members.');
      next();
    },
    express.raw({ type: () => true, limit: limits.memberImportMaxBytes }),
    async (req, res) => {
      if (!Buffer.isBuffer(req.body)) {
        throw new AppError('BAD_REQUEST', 'Send the CSV or XLSX file itself as the body.');
      }
      const dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
      try {
        const outcome = await deps.importer.importFile(req.body, res.locals.member as MemberView, dryRun);
        const body: MemberImportResponse = outcome;
        res.json(body);
      } catch (err) {
        if (!(err instanceof MemberImportRefused)) throw err;
        const body: MemberImportRejected = {
          error: {
            code: 'BAD_REQUEST',
            message: `The file has ${err.report.problems.length} problem(s); nothing was imported.`,
          },
          report: err.report,
        };
        res.status(400).json(body);
      }
    },
  );
  return r;
}
