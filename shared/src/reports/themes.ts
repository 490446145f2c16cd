import { z } from 'zod';
import { Id, Text } from '../domain';

/** Longest theme name (专题, e.g. 和美乡村). */
export const maxThemeNameLength = 40;
/** Most themes a committee keeps (retired ones included). */
export const maxThemes = 200;

/**
 * A theme (协商专题) from the list staff keep: the annual report counts sessions by theme
 * ("258 sessions on 和美乡村", "30+ on 村规民约 … 防诈骗"). A topic carries one; a session takes its
 * topic's, or its own when it has no topic (a paper session). A retired theme keeps its figures
 * and is no longer offered.
 */
export const ThemeView = z.object({
  id: Id,
  name: z.string(),
  retired: z.boolean(),
});
export type ThemeView = z.infer<typeof ThemeView>;

export const ThemesResponse = z.object({ themes: z.array(ThemeView) });
export type ThemesResponse = z.infer<typeof ThemesResponse>;

/** POST /api/themes (staff). */
export const CreateThemeBody = z.object({ name: Text(maxThemeNameLength) }).strict();
export type CreateThemeBody = z.infer<typeof CreateThemeBody>;

/** PATCH /api/themes/:id (staff): rename, retire or bring back. */
export const PatchThemeBody = z
  .object({ name: Text(maxThemeNameLength).optional(), retired: z.boolean().optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.retired !== undefined, 'nothing to change');
export type PatchThemeBody = z.infer<typeof PatchThemeBody>;

/** PATCH /api/topics/:id/theme (staff or the topic's conveners): null takes the theme off. */
export const TopicThemeBody = z.object({ themeId: Id.nullable() }).strict();
export type TopicThemeBody = z.infer<typeof TopicThemeBody>;

/** GET and PATCH /api/topics/:id/theme answer with the topic's theme. */
export const TopicThemeResponse = z.object({ themeId: Id.nullable() });
export type TopicThemeResponse = z.infer<typeof TopicThemeResponse>;

/** The themes the demo and a new committee start with (the annual report's own). */
export const starterThemes = [
  '和美乡村',
  '村规民约',
  '补齐村社区治理短板',
  '防诈骗',
  '移风易俗',
  '农村养老服务',
] as const;
