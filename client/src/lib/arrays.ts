/** The list with the item at `index` swapped one place up (-1) or down (+1); unchanged at the ends. */
export function moveItem<T>(items: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  const a = items[index];
  const b = items[to];
  if (a === undefined || b === undefined || index < 0 || to < 0) return [...items];
  const next = [...items];
  next[index] = b;
  next[to] = a;
  return next;
}
