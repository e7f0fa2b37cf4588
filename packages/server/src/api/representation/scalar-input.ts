/**
 * Reads a scalar from a request body. JSON brings typed values, XML brings text; both are accepted
 * for every type, as Rails does, and come out as the engine holds them (types.ts `ScalarValue`).
 */
import type { ScalarType } from '../../catalogue/index.ts'
import { parseInstant } from '../query/datetime.ts'
import type { ScalarValue } from './types.ts'

/** What `readScalar` returns for a value of the wrong type. */
export const INVALID: unique symbol = Symbol('invalid')

const INTEGER = /^[+-]?\d{1,16}$/
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$/
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The value of a scalar of `type`, or INVALID. Null stays null. Text around non-string values is
 * trimmed. A datetime is any form `parseInstant` reads (a date alone is midnight UTC,
 * coupa-api-facts §4.1) and is kept as its instant in UTC, `2016-11-08T09:28:50.000Z`: the one form
 * records hold, whatever offset the client wrote, so that they compare and sort as text.
 */
export function readScalar(type: ScalarType, raw: unknown): ScalarValue | typeof INVALID {
  if (raw === null) return null
  if (type === 'string') return readString(raw)
  if (typeof raw === 'string') raw = raw.trim()
  if (type === 'boolean') return readBoolean(raw)
  if (type === 'integer') return readInteger(raw)
  if (type === 'float') return readFloat(raw)
  if (type === 'decimal') return readDecimal(raw)
  if (typeof raw !== 'string') return INVALID
  if (type === 'date') return isDate(raw) ? raw : INVALID
  const instant = parseInstant(raw)
  return instant === undefined ? INVALID : new Date(instant).toISOString()
}

function readString(raw: unknown): string | typeof INVALID {
  if (typeof raw === 'string') return raw
  return typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : INVALID
}

function readBoolean(raw: unknown): boolean | typeof INVALID {
  if (typeof raw === 'boolean') return raw
  if (raw === 'true' || raw === 'false') return raw === 'true'
  return INVALID
}

function readInteger(raw: unknown): number | typeof INVALID {
  const value = typeof raw === 'string' && INTEGER.test(raw) ? Number(raw) : raw
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : INVALID
}

function readFloat(raw: unknown): number | typeof INVALID {
  const value = typeof raw === 'string' && FLOAT.test(raw) ? Number(raw) : raw
  return typeof value === 'number' && Number.isFinite(value) ? value : INVALID
}

function readDecimal(raw: unknown): string | typeof INVALID {
  if (typeof raw === 'number')
    return Number.isFinite(raw) ? (normalizeDecimal(String(raw)) ?? INVALID) : INVALID
  return typeof raw === 'string' ? (normalizeDecimal(raw) ?? INVALID) : INVALID
}

/**
 * The canonical text of a decimal, or undefined when `text` is not one: no `+`, no exponent, no
 * leading zeros, no trailing zeros after the point, no `-0` (`"+0567.070"` → `"567.07"`,
 * `"1e3"` → `"1000"`, `"100.00"` → `"100"`), like Ruby's BigDecimal#to_s without its exponent.
 */
export function normalizeDecimal(text: string): string | undefined {
  const match = DECIMAL.exec(text)
  if (!match) return undefined
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match
  if (whole === '' && fraction === '') return undefined
  let digits = whole + fraction
  let point = whole.length + Number(exponent)
  if (point < 0) {
    digits = '0'.repeat(-point) + digits
    point = 0
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length)
  const integral = digits.slice(0, point).replace(/^0+/, '') || '0'
  const decimals = digits.slice(point).replace(/0+$/, '')
  const magnitude = decimals === '' ? integral : `${integral}.${decimals}`
  return sign === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude
}

/** Whether `text` is a calendar date `YYYY-MM-DD` that exists (proleptic Gregorian). */
export function isDate(text: string): boolean {
  const match = DATE.exec(text)
  if (!match) return false
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number]
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)
}
