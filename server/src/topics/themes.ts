import { randomUUID } from 'node:crypto';
import {
  CreateThemeBody,
  type MemberView,
  maxThemes,
  PatchThemeBody,
  type ThemeView,
  TopicThemeBody,
} from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { ThemeDoc } from './topic.model';

const present = (t: Pick<ThemeDoc, '_id' | 'name' | 'retired'>): ThemeView => ({
  id: t._id,
  name: t.name,
  retired: t.retired ?? false,
});

/**
 * Themes (专题): the list staff keep (和美乡村, 村规民约, 防诈骗 …), and a topic's theme, which its
 * sessions take. The dashboard counts sessions and solved problems by theme.
 */
export function createThemeService(deps: { models: Pick<Models, 'Theme' | 'Topic'> }) {
  const { Theme, Topic } = deps.models;
  const staffOnly = (by: MemberView) => {
    if (by.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff keep the list of themes.');
  };
  const one = async (id: string): Promise<ThemeDoc> => {
    const doc = await Theme.findById(id).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such theme.');
    return doc;
  };

  return {
    /** Every theme, those in use first by name (retired ones last). */
    async list(): Promise<ThemeView[]> {
      const docs = await Theme.find({}).lean();
      return docs
        .map(present)
        .sort((a, b) => Number(a.retired) - Number(b.retired) || a.name.localeCompare(b.name, 'zh-CN'));
    },

    /** Names of these themes (retired ones too). */
    async names(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const docs = await Theme.find({ _id: trusted({ $in: [...new Set(ids)] }) }, { name: 1 }).lean();
      return new Map(docs.map((d) => [d._id, d.name]));
    },

    async exists(id: string): Promise<boolean> {
      return (await Theme.exists({ _id: id })) !== null;
    },

    /** Adds a theme; the same name again is the existing one (brought back if it was retired). */
    async create(body: CreateThemeBody, by: MemberView): Promise<ThemeView> {
      staffOnly(by);
      const existing = await Theme.findOne({ name: body.name }).lean();
      if (existing) {
        if (existing.retired) await Theme.updateOne({ _id: existing._id }, { $set: { retired: false } });
        return present({ ...existing, retired: false });
      }
      if ((await Theme.countDocuments({})) >= maxThemes) {
        throw new AppError('BAD_REQUEST', `At most ${maxThemes} themes; retire or rename one instead.`);
      }
      const _id = `th-${randomUUID().slice(0, 8)}`;
      try {
        await rawCollection(Theme).insertOne({ _id, name: body.name, retired: false, createdAt: new Date() });
      } catch (err) {
        // The same name added meanwhile (names are unique): that one is the theme.
        if (!isDuplicateKey(err)) throw err;
        const other = await Theme.findOne({ name: body.name }).lean();
        if (other) return present(other);
        throw err;
      }
      return present(await one(_id));
    },

    /** Renames, retires or brings back a theme (its key stays: topics keep pointing at it). */
    async patch(id: string, body: PatchThemeBody, by: MemberView): Promise<ThemeView> {
      staffOnly(by);
      await one(id);
      if (body.name !== undefined) {
        const clash = await Theme.findOne({ name: body.name, _id: trusted({ $ne: id }) }, { _id: 1 }).lean();
        if (clash) throw new AppError('BAD_REQUEST', 'name: another theme has that name.');
      }
      const set: Partial<ThemeDoc> = {};
      if (body.name !== undefined) set.name = body.name;
      if (body.retired !== undefined) set.retired = body.retired;
      await Theme.updateOne({ _id: id }, { $set: set });
      return present(await one(id));
    },

    /** A topic's theme (anyone signed in but a guest may read it, as the topic itself). */
    async topicTheme(topicId: string, by: MemberView): Promise<{ themeId: string | null }> {
      if (by.kind === 'guest') throw new AppError('FORBIDDEN', 'Guests do not read topics.');
      const topic = await Topic.findById(topicId, { themeId: 1 }).lean();
      if (!topic) throw new AppError('NOT_FOUND', 'No such topic.');
      return { themeId: topic.themeId ?? null };
    },

    /** Sets a topic's theme (staff, or the topic's conveners); null takes it off. */
    async setTopicTheme(topicId: string, themeId: string | null, by: MemberView): Promise<{ themeId: string | null }> {
      const topic = await Topic.findById(topicId, { firstConvenerId: 1, secondConvenerId: 1 }).lean();
      if (!topic) throw new AppError('NOT_FOUND', 'No such topic.');
      const convenes = by.id === topic.firstConvenerId || by.id === topic.secondConvenerId;
      if (by.kind !== 'staff' && !convenes) {
        throw new AppError('FORBIDDEN', 'Staff and the topic’s conveners set its theme.');
      }
      if (themeId !== null) {
        const theme = await Theme.findById(themeId, { retired: 1 }).lean();
        if (!theme) throw new AppError('BAD_REQUEST', 'themeId: no such theme.');
        if (theme.retired) throw new AppError('BAD_REQUEST', 'themeId: that theme is retired.');
      }
      await Topic.updateOne({ _id: topicId }, { $set: { themeId } });
      return { themeId };
    },
  };
}

export type ThemeService = ReturnType<typeof createThemeService>;

const me = (res: { locals: Record<string, unknown> }) => res.locals.member as MemberView;

/** GET/POST /themes, PATCH /themes/:id (staff), GET/PATCH /topics/:id/theme (PATCH: staff or the topic's conveners). */
export function themeRouter(deps: { auth: AuthService; themes: ThemeService }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);
  r.get('/themes', signedIn, async (_req, res) => {
    res.json({ themes: await deps.themes.list() });
  });
  r.post('/themes', signedIn, validateBody(CreateThemeBody), async (req, res) => {
    res.status(201).json(await deps.themes.create(req.body as CreateThemeBody, me(res)));
  });
  r.patch('/themes/:id', signedIn, validateBody(PatchThemeBody), async (req, res) => {
    res.json(await deps.themes.patch(String(req.params.id), req.body as PatchThemeBody, me(res)));
  });
  r.get('/topics/:id/theme', signedIn, async (req, res) => {
    res.json(await deps.themes.topicTheme(String(req.params.id), me(res)));
  });
  r.patch('/topics/:id/theme', signedIn, validateBody(TopicThemeBody), async (req, res) => {
    const body = req.body as TopicThemeBody;
    res.json(await deps.themes.setTopicTheme(String(req.params.id), body.themeId, me(res)));
  });
  return r;
}
