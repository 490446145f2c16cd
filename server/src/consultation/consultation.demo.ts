import { type ConsultationRole, chooseGroup, featuresOf, type SuggestionFeatures } from '@yitang/shared';
import type { AnyBulkWriteOperation } from 'mongoose';
import type { Models } from '../db/models';
import type {
  ConsultationDoc,
  ConsultationGroupDoc,
  ConsultationSuggestionDoc,
  ConsultationSupportDoc,
} from './consultation.model';

const day = 24 * 60 * 60 * 1000;

/** The demo topic whose consultation is seeded, and its short public link: /c/innovate. */
export const demoConsultation = { topicId: 'tp-innovation', code: 'innovate' } as const;

/**
 * The innovation topic's consultation: a few suggestions from members, the science bureau and
 * citizens over the past week, grouped as they would have been on arrival, with some +1s. Written
 * once by id: a second seed adds nothing.
 */
export async function seedDemoConsultation(models: Models, now: Date): Promise<void> {
  const { topicId, code } = demoConsultation;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day);
  const said: Array<[string, ConsultationRole, string | null, string, number]> = [
    ['m-han-lei', 'member', 'm-han-lei', '建议建立全市科研仪器共享平台，企业按小时预约使用。', 7],
    ['o-zhao-ming', 'department', 'o-zhao-ming', '我局正在梳理大型仪器清单，拟统一纳入共享平台开放。', 6],
    ['群众', 'citizen', null, '小微企业买不起检测设备，希望能借用高校实验室。', 5],
    ['m-zhou-min', 'member', 'm-zhou-min', '希望高校和企业的研发人才能互相兼职，打通人才共享渠道。', 4],
    ['群众', 'citizen', null, '园区企业招不到技术人员，希望政府搭建人才对接平台。', 3],
    ['m-feng-gang', 'member', 'm-feng-gang', '建议对开放共享仪器的企业给予补贴，提高积极性。', 2],
  ];
  const names: Record<string, string> = {
    'm-han-lei': '韩磊',
    'o-zhao-ming': '赵明',
    'm-zhou-min': '周敏',
    'm-feng-gang': '冯刚',
  };
  const groups: Array<{ doc: ConsultationGroupDoc; members: SuggestionFeatures[] }> = [];
  const suggestions: ConsultationSuggestionDoc[] = said.map(([who, role, key, text, daysAgo], i) => {
    const features = featuresOf(text);
    const chosen = chooseGroup(
      features,
      groups.map((g) => ({ id: g.doc._id, members: g.members })),
    );
    let group = groups.find((g) => g.doc._id === chosen?.id);
    if (!group) {
      const number = groups.length + 1;
      group = { doc: { _id: `cg-demo-innovation-${number}`, topicId, number, createdAt: at(daysAgo) }, members: [] };
      groups.push(group);
    }
    group.members.push(features);
    return {
      _id: `cs-demo-innovation-${i + 1}`,
      topicId,
      groupId: group.doc._id,
      parentId: null,
      authorRole: role,
      authorKey: key ? `m:${key}` : null,
      authorName: names[who] ?? who,
      recordedBy: key ? null : 's-zhou-ting',
      text,
      hidden: false,
      createdAt: at(daysAgo),
    };
  });
  const supports: ConsultationSupportDoc[] = [
    ['cs-demo-innovation-1', 'm-zhou-min', 'member'],
    ['cs-demo-innovation-1', 'o-zhao-ming', 'department'],
    ['cs-demo-innovation-4', 'm-han-lei', 'member'],
  ].map(([suggestionId, who, role]) => ({
    _id: `${suggestionId}|m:${who}`,
    topicId,
    suggestionId: suggestionId ?? '',
    role: role as ConsultationRole,
    supporterKey: `m:${who}`,
    createdAt: at(1),
  }));
  const consultation: ConsultationDoc = { _id: topicId, code, closeAfterDays: 7, createdAt: at(7) };
  const once = <T extends { _id: string }>(doc: T): AnyBulkWriteOperation<T> => {
    const { _id, ...rest } = doc;
    return { updateOne: { filter: { _id }, update: { $setOnInsert: rest }, upsert: true } } as AnyBulkWriteOperation<T>;
  };
  await models.Consultation.bulkWrite([once(consultation)]);
  await models.ConsultationGroup.bulkWrite(groups.map((g) => once(g.doc)));
  await models.ConsultationSuggestion.bulkWrite(suggestions.map(once));
  await models.ConsultationSupport.bulkWrite(supports.map(once));
}
