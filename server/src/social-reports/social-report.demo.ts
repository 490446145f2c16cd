import { type Models, rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import { createLedger } from '../scoring/ledger';
import { reportDutyRecords } from './social-report.duty';
import type { SocialReportDoc } from './social-report.model';

const day = 24 * 60 * 60 * 1000;

/**
 * A few demo reports: two awaiting staff, one of them already edited, and one declined. Each
 * earned its author a 报送 duty record on submission, and the seed writes those records too, so
 * staff's re-run (POST /social-reports/duty) finds nothing missing.
 */
function demoReports(now: Date): SocialReportDoc[] {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day);
  const submitted = (by: string, byName: string, when: Date) => ({
    at: when,
    by,
    byName,
    action: 'submit' as const,
    state: 'submitted' as const,
    level: null,
    note: null,
  });
  const base = { level: null, edited: null, declineReason: null, instructions: [], result: null, attachments: [] };
  return [
    {
      ...base,
      _id: 'sr-demo-charging',
      authorId: 'm-luo-bin',
      authorName: '罗斌',
      state: 'submitted',
      original: {
        title: '关于增设老旧小区电动自行车充电设施的建议',
        content:
          '城区多个老旧小区缺少集中充电设施，居民飞线充电现象普遍，存在消防隐患。建议由街道统筹，在小区空地建设集中充电棚。',
      },
      trail: [submitted('m-luo-bin', '罗斌', at(2))],
      version: 1,
      submittedAt: at(2),
      updatedAt: at(2),
    },
    {
      ...base,
      _id: 'sr-demo-bus',
      authorId: 'm-han-lei',
      authorName: '韩磊',
      state: 'submitted',
      original: {
        title: '开发区通勤公交班次少',
        content: '开发区企业职工反映早晚通勤公交班次少、间隔长，建议增开高峰班次。',
      },
      edited: {
        title: '开发区早晚高峰通勤公交运力不足亟待加强',
        content:
          '开发区企业职工反映，早晚高峰通勤公交班次少、间隔长达四十分钟。建议公交公司在高峰时段加密班次，并开通园区定制公交。',
        by: 's-zhou-ting',
        byName: '周婷',
        at: at(1),
      },
      trail: [
        submitted('m-han-lei', '韩磊', at(5)),
        { at: at(1), by: 's-zhou-ting', byName: '周婷', action: 'edit', state: 'submitted', level: null, note: null },
      ],
      version: 2,
      submittedAt: at(5),
      updatedAt: at(1),
    },
    {
      ...base,
      _id: 'sr-demo-market',
      authorId: 'm-hu-zhiyong',
      authorName: '胡志勇',
      state: 'declined',
      declineReason: '与本月已采用的同类信息重复，已并入处理。',
      original: { title: '农贸市场早市占道经营', content: '城东农贸市场早市摊贩占道经营，影响通行。' },
      trail: [
        submitted('m-hu-zhiyong', '胡志勇', at(20)),
        {
          at: at(18),
          by: 's-zhou-ting',
          byName: '周婷',
          action: 'decline',
          state: 'declined',
          level: null,
          note: '与本月已采用的同类信息重复，已并入处理。',
        },
      ],
      version: 2,
      submittedAt: at(20),
      updatedAt: at(18),
    },
  ];
}

/** Inserts the demo reports that are not there yet (a report already there is left as it is). */
export async function seedDemoSocialReports(models: Models, now = new Date()): Promise<void> {
  const reports = rawCollection(models.SocialReport);
  const ledger = createLedger(models);
  for (const doc of demoReports(now)) {
    try {
      await reports.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // By natural key, as a submission writes them: a restart adds nothing.
    await ledger.recordDerived(reportDutyRecords(doc), { id: 's-zhou-ting', name: '周婷' });
  }
}
