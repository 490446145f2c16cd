import { useTranslation } from 'react-i18next';

interface Person {
  id: string;
  name: string;
  title?: string;
}

/**
 * The options of a select that picks a person: an optional first empty choice, then each person
 * by name, with their title in brackets when `withTitle` (officials: 王海（市住建局局长）, or
 * "Wang Hai (Director)" in English).
 */
export function PeopleOptions({
  people,
  empty,
  withTitle = false,
}: {
  people: readonly Person[];
  /** The empty choice's text ('' for a blank line); none when left out. */
  empty?: string;
  withTitle?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {empty !== undefined && <option value="">{empty}</option>}
      {people.map((p) => (
        <option key={p.id} value={p.id}>
          {withTitle && p.title ? t('common.withAside', { main: p.name, aside: p.title }) : p.name}
        </option>
      ))}
    </>
  );
}
