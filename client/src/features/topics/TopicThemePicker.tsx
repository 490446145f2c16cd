import { TopicThemeResponse as TopicTheme } from '@yitang/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { api } from '../../lib/http';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { fetchThemes } from '../sessions/paperApi';

const themePath = (topicId: string) => `/api/topics/${encodeURIComponent(topicId)}/theme`;

/**
 * A topic's theme (专题), which its sessions take and the dashboard counts by: shown to everyone
 * on the topic page, chosen by staff and the topic's conveners.
 */
export function TopicThemePicker({ topicId, mayEdit }: { topicId: string; mayEdit: boolean }) {
  const { t } = useTranslation();
  const load = useLoad(() => Promise.all([fetchThemes(), api(themePath(topicId), TopicTheme)]), [topicId]);
  const themes = load.data?.[0] ?? [];
  // The theme as saved here, else as loaded; the one picked, else the current one.
  const [savedId, setSavedId] = useState<string | null>(null);
  const current = savedId ?? load.data?.[1].themeId ?? '';
  const [picked, setPicked] = useState<string | null>(null);
  const chosen = picked ?? current;
  const [saved, setSaved] = useState(false);
  const save = useAction();

  const name = themes.find((th) => th.id === current)?.name;
  const error = save.error ?? load.error;
  if (!mayEdit) {
    return (
      <p data-testid="topic-theme">
        {t('common.labelled', { label: t('annual.topicTheme.label'), text: name ?? t('annual.topicTheme.none') })}
      </p>
    );
  }
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const ok = await save.run(() =>
      api(themePath(topicId), TopicTheme, { method: 'PATCH', body: { themeId: chosen || null } }),
    );
    if (ok) {
      setSavedId(chosen);
      setSaved(true);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="topic-theme">
      <Field className="field--inline" label={t('annual.topicTheme.label')}>
        <select value={chosen} onChange={(e) => setPicked(e.target.value)}>
          <option value="">{t('annual.topicTheme.none')}</option>
          {themes
            .filter((th) => !th.retired || th.id === current)
            .map((th) => (
              <option key={th.id} value={th.id}>
                {th.name}
              </option>
            ))}
        </select>
      </Field>{' '}
      <button type="submit" disabled={save.busy || chosen === current}>
        {t('annual.topicTheme.save')}
      </button>
      {saved && <span role="status">{t('annual.topicTheme.saved')}</span>}
      {error && (
        <span role="alert" className="field-error">
          {t(`errors.${error}`)}
        </span>
      )}
    </form>
  );
}
