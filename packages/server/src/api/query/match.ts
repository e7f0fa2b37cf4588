/**
 * Evaluates filters on expanded records in JavaScript, for filters the engine does not translate
 * to SQL (paths through references) and as the reference its SQL translation is tested against.
 *
 * Choices, which a SQL translation must keep:
 * - `eq`, `not_eq`, `in`, `not_in`, `gt`… on strings are case-sensitive (code unit order);
 *   `contains`, `starts_with`, `ends_with` are case-insensitive (Unicode `toLowerCase`, like
 *   PostgreSQL `ILIKE`; SQLite's `LIKE` folds ASCII only).
 * - Missing values (null, undefined, a null reference on the path) match only `blank=true`, so
 *   `not_eq` and `not_in` leave them out, as SQL's `<>` and `NOT IN` do.
 * - `blank=true` matches null, undefined and the empty string; `blank=false` everything else.
 */
import { compareValues } from './compare.ts'
import type { Filter, QueryRecord } from './types.ts'

/**
 * The values at the end of a path: one, or one per entry where the path goes through a list of
 * references (`roles[id]`, any entry may match); undefined where a reference on the way is null
 * or absent.
 */
function valuesAt(record: QueryRecord, path: readonly string[]): unknown[] {
  let current: unknown[] = [record]
  for (const name of path) {
    current = current.flatMap(function step(value): unknown[] {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return [undefined]
      const next = (value as QueryRecord)[name]
      return Array.isArray(next) ? next : [next]
    })
  }
  return current
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === ''
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined
}

/** Case-insensitive text tests. */
function matchesText(op: 'contains' | 'starts_with' | 'ends_with', value: unknown, wanted: unknown): boolean {
  if (typeof value !== 'string' || typeof wanted !== 'string') return false
  const text = value.toLowerCase()
  const part = wanted.toLowerCase()
  if (op === 'contains') return text.includes(part)
  return op === 'starts_with' ? text.startsWith(part) : text.endsWith(part)
}

function listOf(wanted: Filter['value']): readonly unknown[] {
  return Array.isArray(wanted) ? wanted : [wanted]
}

/** Whether a present value passes a comparison filter. */
function matchesValue(filter: Filter, value: unknown): boolean {
  const compare = (wanted: unknown) => compareValues(filter.type, value, wanted)
  switch (filter.op) {
    case 'eq':
      return compare(filter.value) === 0
    case 'not_eq': {
      const order = compare(filter.value)
      return order !== undefined && order !== 0
    }
    case 'gt':
      return (compare(filter.value) ?? 0) > 0
    case 'lt':
      return (compare(filter.value) ?? 0) < 0
    case 'gt_or_eq':
      return (compare(filter.value) ?? -1) >= 0
    case 'lt_or_eq':
      return (compare(filter.value) ?? 1) <= 0
    case 'in':
      return listOf(filter.value).some((wanted) => compare(wanted) === 0)
    case 'not_in':
      return listOf(filter.value).every((wanted) => {
        const order = compare(wanted)
        return order !== undefined && order !== 0
      })
    case 'contains':
    case 'starts_with':
    case 'ends_with':
      return matchesText(filter.op, value, filter.value)
    case 'blank':
      return false
  }
}

/** Whether one filter holds for an expanded record. */
export function matchesFilter(record: QueryRecord, filter: Filter): boolean {
  const values = valuesAt(record, filter.path)
  // An empty list of references holds no value: it is blank.
  return (values.length === 0 ? [undefined] : values).some((value) => matchesOne(filter, value))
}

function matchesOne(filter: Filter, value: unknown): boolean {
  if (filter.op === 'blank') return isBlank(value) === (filter.value === true || filter.value === 'true')
  if (filter.value === null && (filter.op === 'eq' || filter.op === 'not_eq')) {
    return isBlank(value) === (filter.op === 'eq')
  }
  return !isMissing(value) && matchesValue(filter, value)
}

/**
 * Whether all filters hold for an expanded record (references as nested records or null).
 * Values compare by type: numbers and decimals by value, datetimes by instant, strings as the
 * module comment says.
 * @example matchesFilters({ id: 1, supplier: { name: 'Fishy' } }, parseQuery(invoices, { 'supplier[name]': 'Fishy' }, resolve).filters) // true
 */
export function matchesFilters(record: QueryRecord, filters: readonly Filter[]): boolean {
  return filters.every((filter) => matchesFilter(record, filter))
}

/** True for a filter on the resource's own attribute (`status`), which a SQL `WHERE` can test directly. */
export function isSimpleFilter(filter: Filter): boolean {
  return filter.path.length === 1
}
