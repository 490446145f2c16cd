/**
 * The demo's held year shows every figure the annual report quotes (issue 16, part 5: "with the
 * demo year showing them"): themed sessions, paper ones, city and town leaders, problems solved
 * (with a leader, and with the hotline and the governance centre), by theme and by room level.
 * The figures themselves are checked against hand counts in reports-annual.test.ts; this checks
 * that a new installation's demo gives each of them something to show. Real database.
 */
import { figureKeys, yearPeriod } from '@yitang/shared';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../src/db/connect';
import { createModels, ensureIndexes, type Models } from '../src/db/models';
import { createDashboardService } from '../src/reports/dashboard.service';
import { seedDemo } from '../src/seed/demo';
import { uniqueDbName } from '../src/testing';

/** A fixed day, so the year is the same on every run: 6 December 2026, 10:00 in Haian. */
const now = new Date('2026-12-06T02:00:00Z');
const year = 2026;
let conn: Connection;
let models: Models;

beforeAll(async () => {
  conn = await connectDatabase(inject('mongoUri'), uniqueDbName('demoyear'));
  models = createModels(conn);
  await ensureIndexes(models);
  await seedDemo(models, now);
});
afterAll(async () => {
  await conn?.dropDatabase().catch(() => undefined);
  await conn?.close();
});

describe('the demo year on /reports', () => {
  it('has every annual figure above zero, for the year and all levels', async () => {
    const { totals, members } = await createDashboardService({ models }).dashboard({
      ...yearPeriod(year),
      level: 'all',
    });
    const zero = figureKeys.filter((k) => totals[k] === 0);
    expect(zero, JSON.stringify(totals)).toEqual([]);
    expect(members.committee).toBeGreaterThan(0);
  });

  it('has themed sessions under a named theme, and every room level its sessions', async () => {
    const d = await createDashboardService({ models }).dashboard({ ...yearPeriod(year), level: 'all' });
    const named = d.byTheme.filter((t) => t.themeId !== null && t.sessions > 0);
    expect(named.length, JSON.stringify(d.byTheme.map((t) => [t.name, t.sessions]))).toBeGreaterThanOrEqual(2);
    expect(named.reduce((n, t) => n + t.sessions, 0)).toBe(d.totals.themed);
    for (const level of ['city', 'town', 'village'] as const) {
      expect(d.byLevel.find((l) => l.level === level)?.sessions, level).toBeGreaterThan(0);
    }
  });
});
