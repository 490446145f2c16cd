import type { DepartmentView, PersonRef } from '@yitang/shared';
import type { ClientErrorCode } from '../../lib/errors';

/** One official a first convener may name as the second convener. */
export interface SecondConvenerChoice extends PersonRef {
  head: boolean;
}

/**
 * Whom the first convener may name as the second: the officials of the chosen department by
 * record, its head first (the usual second convener), the others in the records' order.
 */
export function secondConvenerChoices(department: DepartmentView | undefined): SecondConvenerChoice[] {
  if (!department) return [];
  const isHead = (o: PersonRef) => o.id === department.headId;
  return [...department.officials.filter(isHead), ...department.officials.filter((o) => !isHead(o))].map((o) => ({
    ...o,
    head: isHead(o),
  }));
}

/** The department record a topic already names (by its current name), or '' to choose one. */
export function departmentIdNamed(departments: DepartmentView[], name: string | null): string {
  const wanted = name?.trim() ?? '';
  if (wanted === '') return '';
  return departments.find((d) => d.name === wanted)?.id ?? '';
}

/**
 * The body of a first-seat acceptance from the form's choices, or null while no department is
 * chosen. An empty second convener is none: the first convener accepts alone.
 */
export function firstSeatBody(
  departments: DepartmentView[],
  departmentId: string,
  secondConvenerId: string,
): { seat: 'first'; department: string; secondConvenerId: string | null } | null {
  const department = departments.find((d) => d.id === departmentId);
  if (!department) return null;
  const second = secondConvenerChoices(department).find((o) => o.id === secondConvenerId);
  return { seat: 'first', department: department.name, secondConvenerId: second?.id ?? null };
}

/**
 * The translation key of a refused acceptance. The server's refusals name fields in English; here
 * they are said in the page's language: a department or second convener the records no longer
 * back (renamed, moved, removed since the page loaded), a viewer not appointed to convene, a topic
 * someone else has already accepted or declined. Anything else is said by its code.
 */
export function acceptRefusalKey(
  code: ClientErrorCode,
):
  | 'topics.accept.refused.records'
  | 'topics.accept.refused.notConvener'
  | 'topics.accept.refused.state'
  | `errors.${ClientErrorCode}` {
  switch (code) {
    case 'BAD_REQUEST':
      return 'topics.accept.refused.records';
    case 'FORBIDDEN':
      return 'topics.accept.refused.notConvener';
    case 'ILLEGAL_TRANSITION':
      return 'topics.accept.refused.state';
    default:
      return `errors.${code}`;
  }
}
