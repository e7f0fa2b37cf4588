/** Sorting records by `order_by` and `dir`, with a stable tie-break on `id`. */
import type { ResourceDefinition, ScalarType } from '../../catalogue/index.ts'
import { compareValues } from './compare.ts'
import type { OrderBy, QueryRecord } from './types.ts'

/** The type a runtime value suggests, for sorting without a definition. */
function inferType(value: unknown): ScalarType {
  if (typeof value === 'number') return 'float'
  if (typeof value === 'boolean') return 'boolean'
  return 'string'
}

function read(record: QueryRecord, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined
}

/** Nulls first; values that do not compare as their type fall back to their text, so the order is total. */
function compareNullsFirst(type: ScalarType | undefined, a: unknown, b: unknown): number {
  const aMissing = a === null || a === undefined
  const bMissing = b === null || b === undefined
  if (aMissing && bMissing) return 0
  if (aMissing) return -1
  if (bMissing) return 1
  const order = compareValues(type ?? inferType(a), a, b)
  if (order !== undefined) return order
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * A comparator for `Array.prototype.sort` that orders records by `orderBy`: nulls first when
 * ascending (last when descending), ties broken by `id` ascending so that pages are stable.
 * Pass `def` so that the attribute's declared type drives the comparison (decimals by value,
 * datetimes by instant); without it numbers compare numerically and strings as text.
 */
export function compareRecords(
  orderBy: OrderBy,
  def?: ResourceDefinition,
): (a: QueryRecord, b: QueryRecord) => number {
  const field = def?.fields.find((candidate) => candidate.name === orderBy.field)
  const type = field?.kind === 'scalar' ? field.type : undefined
  const direction = orderBy.dir === 'desc' ? -1 : 1
  return function byOrder(a, b) {
    const order = compareNullsFirst(type, read(a, orderBy.field), read(b, orderBy.field))
    if (order !== 0) return direction * order
    return compareNullsFirst('integer', read(a, 'id'), read(b, 'id'))
  }
}
