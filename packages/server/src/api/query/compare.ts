/**
 * Typed comparison of attribute values, shared by filters and sorting. Numbers and decimals compare
 * by value (decimals exactly, as text, so `"0.10"` equals `"0.1"` and 17 significant digits keep
 * their order), datetimes and dates by instant (a date alone is midnight UTC), booleans false before
 * true, strings by UTF-16 code units, case-sensitively.
 */
import type { ScalarType } from '../../catalogue/index.ts'
import { parseInstant } from './datetime.ts'

const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/** A decimal as sign, integer digits without leading zeros and fraction digits without trailing ones. */
interface Digits {
  negative: boolean
  whole: string
  fraction: string
}

function digitsOf(text: string): Digits | undefined {
  const match = PLAIN_DECIMAL.exec(text)
  if (!match || !/\d/.test(text)) return undefined
  const whole = (match[2] ?? '').replace(/^0+/, '')
  const fraction = (match[3] ?? '').replace(/0+$/, '')
  return { negative: match[1] === '-' && (whole + fraction).length > 0, whole, fraction }
}

function sign(difference: number): number {
  return difference < 0 ? -1 : difference > 0 ? 1 : 0
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function compareMagnitude(a: Digits, b: Digits): number {
  if (a.whole.length !== b.whole.length) return sign(a.whole.length - b.whole.length)
  const width = Math.max(a.fraction.length, b.fraction.length)
  return compareText(a.whole + a.fraction.padEnd(width, '0'), b.whole + b.fraction.padEnd(width, '0'))
}

/** Numeric text or a finite number, as text; anything else is not a number. */
function numericText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  return typeof value === 'string' && NUMBER.test(value) ? value : undefined
}

/** Compares two numbers given as numbers or numeric text; exact for plain decimals. */
export function compareNumbers(a: unknown, b: unknown): number | undefined {
  const left = numericText(a)
  const right = numericText(b)
  if (left === undefined || right === undefined) return undefined
  const x = digitsOf(left)
  const y = digitsOf(right)
  if (!x || !y) return sign(Number(left) - Number(right))
  if (x.negative !== y.negative) return x.negative ? -1 : 1
  return x.negative ? -compareMagnitude(x, y) : compareMagnitude(x, y)
}

/** Milliseconds since the epoch of a Date or ISO 8601 text. */
function instantOf(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime()
  return typeof value === 'string' ? parseInstant(value) : undefined
}

function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  return value === 'true' ? true : value === 'false' ? false : undefined
}

/**
 * Compares two values of an attribute of type `type`: negative, zero or positive, or undefined
 * when either is missing or not a value of that type (such a value matches no comparison).
 */
export function compareValues(type: ScalarType, a: unknown, b: unknown): number | undefined {
  switch (type) {
    case 'integer':
    case 'decimal':
    case 'float':
      return compareNumbers(a, b)
    case 'datetime':
    case 'date': {
      const x = instantOf(a)
      const y = instantOf(b)
      return x === undefined || y === undefined ? undefined : sign(x - y)
    }
    case 'boolean': {
      const x = booleanOf(a)
      const y = booleanOf(b)
      return x === undefined || y === undefined ? undefined : Number(x) - Number(y)
    }
    case 'string':
      return typeof a === 'string' && typeof b === 'string' ? compareText(a, b) : undefined
  }
}
