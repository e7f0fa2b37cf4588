/**
 * How a scalar is written. JSON keeps Coupa's types: decimals as strings (`"total":"567.07"`),
 * integers and floats as numbers; XML writes text and names the type in an attribute
 * (coupa-api-facts §4.1, api-return-formats, differences-between-xml-and-json-in-coupa).
 * Datetimes are written as Coupa writes them, `2016-11-08T11:28:50+02:00` (§6 user sample).
 */
import type { ScalarType } from '../../catalogue/index.ts'
import { parseInstant } from '../query/datetime.ts'

/** Writes a stored datetime (ISO 8601, canonically UTC) as the API shows it. */
export type DatetimeWriter = (stored: string) => string

/**
 * Writes datetimes in whole seconds with the offset of `timeZone` (an IANA name) at that instant,
 * daylight saving time included: `2016-11-08T11:28:50+02:00`; UTC gives `+00:00`. Records keep
 * their instants in UTC (the store sorts and filters `updated_at` as text); only the wire shows the
 * offset. Text that is not a datetime is written as it is.
 * @throws RangeError when `timeZone` is not a time zone Node knows (config.ts checks it at start).
 */
export function datetimeWriter(timeZone = 'UTC'): DatetimeWriter {
  const offsetOf = timeZone === 'UTC' ? () => 0 : zoneOffset(timeZone)
  return function writeDatetime(stored) {
    const instant = parseInstant(stored)
    if (instant === undefined) return stored
    const seconds = Math.floor(instant / 1000) * 1000
    const offset = offsetOf(seconds)
    return `${localTime(seconds + offset * 60_000)}${offsetText(offset)}`
  }
}

/** Datetimes in UTC, `+00:00`: the default of the instance (config.ts `time_zone`). */
export const utcDatetimes: DatetimeWriter = datetimeWriter('UTC')

/** The offset of `timeZone` from UTC, in minutes, at an instant, from Node's ICU time zone data. */
function zoneOffset(timeZone: string): (instant: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
  return function offsetAt(instant) {
    const name = format.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? ''
    const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name)
    if (!match) return 0 // `GMT`: no offset
    const minutes = Number(match[2]) * 60 + Number(match[3])
    return match[1] === '-' ? -minutes : minutes
  }
}

/** `YYYY-MM-DDTHH:MM:SS` of epoch milliseconds read as UTC. */
function localTime(ms: number): string {
  const date = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  const day = `${String(date.getUTCFullYear()).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`
  return `${day}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
}

/** `+02:00`, `-07:00`, `+05:30`, `+00:00`. */
function offsetText(minutes: number): string {
  const abs = Math.abs(minutes)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${minutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
}

/** The JSON value of a scalar; null and a missing value are both null. */
export function scalarJson(
  type: ScalarType,
  value: unknown,
  name: string,
  writeDatetime: DatetimeWriter = utcDatetimes,
): string | number | boolean | null {
  if (value === null || value === undefined) return null
  const checked = checkScalar(value, type, name)
  if (type === 'integer' || type === 'float') return typeof checked === 'number' ? checked : Number(checked)
  if (type === 'boolean') return typeof checked === 'boolean' ? checked : checked === 'true'
  if (type === 'datetime') return writeDatetime(String(checked))
  return String(checked)
}

/** The XML text of a non-null scalar. Integral floats keep a `.0`, as Coupa's `1.0` does. */
export function scalarText(
  type: ScalarType,
  value: unknown,
  name: string,
  writeDatetime: DatetimeWriter = utcDatetimes,
): string {
  const checked = checkScalar(value, type, name)
  if (type === 'float' && typeof checked === 'number') return floatText(checked)
  if (type === 'datetime') return writeDatetime(String(checked))
  return String(checked)
}

function floatText(value: number): string {
  const text = String(value)
  return /^-?\d+$/.test(text) ? `${text}.0` : text
}

/** Records come from the engine; anything but a primitive in a scalar field is a bug there. */
function checkScalar(value: unknown, type: ScalarType, name: string): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  throw new TypeError(`field ${name} holds a ${typeof value} where a ${type} is expected`)
}
