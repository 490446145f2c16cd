import { type ThemeView, TopicThemeResponse as TopicTheme } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/http';
import { useAction } from '../../lib/useAction';
import { fetchThemes } from '../sessions/paperApi';

const themePath = (topicId: string) => `/api/topics/${encodeURIComponent(topicId)}/theme`;

/**
 * A topic's theme (专题), which its sessions take and the dashboard counts by: shown to everyone
 * on the topic page, chosen by staff and the topic's conveners.
 */
export function TopicThemePicker({ topicId, mayEdit }: { topicId: string; mayEdit: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const [themes, setThemes] = useState<ThemeView[]>([]);
  const [current, setCurrent] = useState<string>('');
  const [chosen, setChosen] = useState<string>('');
  const [saved, setSaved] = useState(false);
  const load = useAction();
  const save = useAction();
  const run = load.run;

  useEffect(() => {
    void run(async () => {
      const [list, mine] = await Promise.all([fetchThemes(), api(themePath(topicId), TopicTheme)]);
      setThemes(list);
      setCurrent(mine.themeId ?? '');
      setChosen(mine.themeId ?? '');
    });
  }, [run, topicId]);

  const name = themes.find((th) => th.id === current)?.name;
  const error = save.error ?? load.error;
  if (!mayEdit) {
    return (
      <p data-testid="topic-theme">
        {t('annual.topicTheme.label')}：{name ?? t('annual.topicTheme.none')}
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
      setCurrent(chosen);
      setSaved(true);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="topic-theme">
      <label htmlFor={id}>{t('annual.topicTheme.label')}</label>{' '}
      <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
        <option value="">{t('annual.topicTheme.none')}</option>
        {themes
          .filter((th) => !th.retired || th.id === current)
          .map((th) => (
            <option key={th.id} value={th.id}>
              {th.name}
            </option>
          ))}
      </select>{' '}
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
