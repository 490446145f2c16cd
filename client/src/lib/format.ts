/** Locale-aware date and time for display; an unreadable value is shown as it came. */
export function formatDateTime(iso: string, language: string, style: 'dateTime' | 'date' = 'dateTime'): string {
  const when = new Date(style === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(when.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions =
    style === 'date' ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(language, options).format(when);
}
