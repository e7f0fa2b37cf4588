/** Checks a filter's value against the attribute's type and turns it into the filter's value. */
import type { ScalarField } from '../../catalogue/index.ts'
import { isIsoDate, parseFilterInstant } from './datetime.ts'
import { QueryError } from './errors.ts'
import { quote } from './names.ts'
import type { Filter, Operator } from './types.ts'

const INTEGER = /^-?\d+$/
const DECIMAL = /^-?\d+(?:\.\d+)?$/
const FLOAT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const EQUALITY: readonly Operator[] = ['eq', 'not_eq', 'in', 'not_in']

const EXPECTED = {
  integer: 'an integer such as 42',
  decimal: 'a number such as 567.07',
  float: 'a number such as 567.07',
  boolean: 'true or false',
  datetime:
    'an ISO 8601 datetime such as 2010-03-25T18:38:00-07:00 or a date such as 2010-01-15 (write + as %2B)',
  date: 'a date such as 2010-01-15',
} as const

function invalid(raw: string, key: string, expected: string): QueryError {
  return new QueryError([`invalid value ${quote(raw)} for ${quote(key)}: expected ${expected}`])
}

/** `true`/`false` → boolean, for boolean attributes and `blank`. */
function parseBoolean(raw: string, key: string): boolean {
  if (raw === 'true') return true
  if (raw === 'false') return false
  throw invalid(raw, key, EXPECTED.boolean)
}

/** One value of the attribute's type; datetimes come back as UTC `toISOString()` text. */
function parseScalar(field: ScalarField, op: Operator, raw: string, key: string): string | boolean {
  switch (field.type) {
    case 'integer':
      if (INTEGER.test(raw) && Number.isSafeInteger(Number(raw))) return raw
      throw invalid(raw, key, EXPECTED.integer)
    case 'decimal':
      if (DECIMAL.test(raw)) return raw
      throw invalid(raw, key, EXPECTED.decimal)
    case 'float':
      if (FLOAT.test(raw) && Number.isFinite(Number(raw))) return raw
      throw invalid(raw, key, EXPECTED.float)
    case 'boolean':
      return parseBoolean(raw, key)
    case 'datetime': {
      const instant = parseFilterInstant(raw)
      if (instant !== undefined) return new Date(instant).toISOString()
      throw invalid(raw, key, EXPECTED.datetime)
    }
    case 'date':
      if (isIsoDate(raw)) return raw
      throw invalid(raw, key, EXPECTED.date)
    case 'string':
      return parseText(field, op, raw, key)
  }
}

/** Text; an attribute with a fixed set of values (`status`) takes only those for equality tests. */
function parseText(field: ScalarField, op: Operator, raw: string, key: string): string {
  if (field.values && EQUALITY.includes(op) && !field.values.includes(raw)) {
    throw invalid(raw, key, `one of ${field.values.join(', ')}`)
  }
  return raw
}

/** `in`/`not_in` take a comma list; each item must be a value of the attribute's type. */
function parseList(field: ScalarField, op: Operator, raw: string, key: string): string[] {
  const items = raw.split(',')
  if (items.some((item) => item === '')) {
    throw invalid(raw, key, 'a comma-separated list of values without empty items, such as a,b')
  }
  return items.map((item) => String(parseScalar(field, op, item, key)))
}

/**
 * The value of a filter on `field` with operator `op`, from the raw parameter value.
 * @throws QueryError naming `key` and the expected form when the value does not fit.
 */
export function parseFilterValue(
  field: ScalarField,
  op: Operator,
  raw: string,
  key: string,
): Filter['value'] {
  if (op === 'blank') return parseBoolean(raw, key)
  if (op === 'in' || op === 'not_in') return parseList(field, op, raw, key)
  return parseScalar(field, op, raw, key)
}
