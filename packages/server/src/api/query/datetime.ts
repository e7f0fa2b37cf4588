/**
 * ISO 8601 dates and datetimes as Coupa takes them, in filters and in bodies alike:
 * `2010-03-25T18:38:00-07:00`, or a plain date `2010-01-15`, which means midnight UTC
 * (coupa-api-facts §4.1 "Dates"). Accepted, and nothing else (docs/API.md, query language):
 *   - a date `YYYY-MM-DD`: midnight UTC;
 *   - `YYYY-MM-DDTHH:MM`, `…:SS`, `…:SS.fff` (1 to 9 digits, `.` or `,`; beyond milliseconds cut);
 *   - an offset `Z`, `+02:00`, `-0700` or `+02`, or none: UTC;
 *   - `T` and `Z` in either case;
 *   - in a query string, the `+` of an offset written `%2B`, or unencoded, which arrives as a space
 *     (`…T11:28:50 02:00`, see parseFilterInstant).
 * Years 0000 to 9999 (UTC) only.
 * https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/querying-options
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/
const MAX_YEAR = 9999

/** Days in a month of a proleptic Gregorian year. */
function daysInMonth(year: number, month: number): number {
  const date = new Date(0)
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month, 0)
  return date.getUTCDate()
}

/** Milliseconds of a valid calendar date at midnight UTC, or undefined. */
function dateMillis(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return date.getTime()
}

/** Offset from UTC in minutes (`-07:00` → -420), or undefined when out of range. */
function offsetMinutes(offset: string | undefined): number | undefined {
  if (offset === undefined || offset === 'Z' || offset === 'z') return 0
  const digits = offset.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0
  if (hours > 23 || minutes > 59) return undefined
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const match = DATE.exec(text)
  return match !== null && dateMillis(Number(match[1]), Number(match[2]), Number(match[3])) !== undefined
}

/**
 * Milliseconds since the epoch of an ISO 8601 date or datetime, or undefined when the text is not
 * one or falls outside the years 0000–9999 UTC. Fractions beyond milliseconds are truncated.
 */
export function parseInstant(text: string): number | undefined {
  const match = DATETIME.exec(text)
  if (!match) return undefined
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match
  const midnight = dateMillis(Number(year), Number(month), Number(day))
  const shift = offsetMinutes(offset)
  if (midnight === undefined || shift === undefined) return undefined
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3))
  const time = ((Number(hour) * 60 + Number(minute) - shift) * 60 + Number(second)) * 1000 + millis
  const instant = midnight + time
  const utcYear = new Date(instant).getUTCFullYear()
  return utcYear >= 0 && utcYear <= MAX_YEAR ? instant : undefined
}

/** A time followed by a space and an offset's digits: the `+` of `+02:00`, decoded as a space. */
const SPACE_FOR_PLUS = /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?) (\d{2}(?::?\d{2})?)$/

/**
 * `parseInstant` for a filter's value. A query string decodes an unencoded `+` as a space
 * (application/x-www-form-urlencoded), so `updated-at[gt]=2016-11-08T11:28:50+02:00` arrives as
 * `2016-11-08T11:28:50 02:00`; a space can mean nothing else there, so it is read as the `+`.
 */
export function parseFilterInstant(text: string): number | undefined {
  const match = SPACE_FOR_PLUS.exec(text)
  return parseInstant(match ? `${match[1]}+${match[2]}` : text)
}
