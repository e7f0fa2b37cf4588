/**
 * A straightforward reference for matchesFilters, written apart from it: numbers through Number,
 * datetimes through the production parser (Date.parse would read a time without an offset in the
 * local zone, production reads it as UTC), a loop for every list operator. Values come from small
 * pools so that generated filters often hit generated records.
 */
import fc from 'fast-check'
import { parseInstant } from '../../../src/api/query/datetime.ts'
import { type Filter, operatorsFor, type QueryRecord } from '../../../src/api/query/index.ts'
import type { ScalarField, ScalarType } from '../../../src/catalogue/index.ts'
import { renderKey, TARGETS } from './arbitraries.ts'

const INSTANTS = ['2010-03-25T18:38:00Z', '2010-03-26T00:00:00Z', '2024-02-29T23:59:59.5Z']
const OFFSETS = [-420, 0, 330]

/** `2010-03-25T11:38:00-07:00`: one instant written in a given offset. */
function withOffset(instant: string, minutes: number): string {
  const local = new Date(Date.parse(instant) + minutes * 60_000).toISOString().slice(0, 19)
  const hours = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')
  const rest = String(Math.abs(minutes) % 60).padStart(2, '0')
  return `${local}${minutes < 0 ? '-' : '+'}${hours}:${rest}`
}

const DATETIMES = [
  ...INSTANTS.flatMap((instant) => OFFSETS.map((minutes) => withOffset(instant, minutes))),
  '2010-03-26',
]

/** Values a filter on a field of this name and type may take, as query text. */
function filterPool(field: ScalarField): string[] {
  if (field.values) return [...field.values]
  const pools: Record<ScalarType, string[]> = {
    integer: ['1', '2', '3', '-1'],
    decimal: ['0', '0.1', '0.10', '99.99', '100', '-5.5', '567.07'],
    float: ['1', '1.25', '1e0', '5e-1', '2.0'],
    boolean: ['true', 'false'],
    datetime: DATETIMES,
    date: ['2010-01-15', '2010-01-16', '2024-02-29'],
    string: ['Fishy', 'fishy', 'INV-1', 'inv', '1', 'Straße', 'STRASSE', 'ß'],
  }
  return pools[field.type]
}

/** A record value drawn from the same pool, typed as records hold it, or null. */
function recordValue(field: ScalarField): fc.Arbitrary<unknown> {
  const pool = filterPool(field)
  const typed: fc.Arbitrary<unknown> =
    field.type === 'integer' || field.type === 'float'
      ? fc.constantFrom(...pool.map(Number))
      : field.type === 'boolean'
        ? fc.boolean()
        : fc.constantFrom(...pool, ...(field.type === 'string' && !field.values ? [''] : []))
  return fc.option(typed, { nil: null, freq: 5 })
}

/** A record over the targets' fields: nested records for references, null now and then. */
function recordArb(depth: number, prefix: string[]): fc.Arbitrary<QueryRecord | null> {
  const here = TARGETS.filter(
    (t) => t.path.length === prefix.length + 1 && prefix.every((p, i) => t.path[i] === p),
  )
  const shape: Record<string, fc.Arbitrary<unknown>> = {}
  for (const target of here) shape[target.field.name] = recordValue(target.field)
  const references = prefix.length === 0 ? ['supplier'] : ['parent_supplier']
  if (depth < 2) for (const name of references) shape[name] = recordArb(depth + 1, [...prefix, name])
  return fc.option(fc.record(shape), { nil: null, freq: depth === 0 ? 1_000_000 : 4 })
}

export const invoiceRecordArb = recordArb(0, []).map((record) => record ?? {})

/** One filter parameter built from the pools: `[key, value]`. */
export const pooledParamArb: fc.Arbitrary<[string, string]> = fc
  .constantFrom(...TARGETS)
  .chain(({ path, field }) =>
    fc.constantFrom(...operatorsFor(field.type)).chain((op) => {
      const pool = filterPool(field).filter((value) => (op !== 'in' && op !== 'not_in' ? true : value !== ''))
      const value =
        op === 'blank'
          ? fc.constantFrom('true', 'false')
          : op === 'in' || op === 'not_in'
            ? fc.subarray(pool, { minLength: 1 }).map((items) => items.join(','))
            : fc.constantFrom(...pool)
      return value.map((v): [string, string] => [renderKey(path, op), v])
    }),
  )

/** A value in a form JS compares directly, or undefined for a missing one. */
function plain(type: ScalarType, value: unknown): unknown {
  if (value === null || value === undefined) return undefined
  if (type === 'integer' || type === 'decimal' || type === 'float') return Number(value)
  if (type === 'datetime' || type === 'date') return parseInstant(String(value))
  return value
}

/** The reference: what a filter should say about a record. */
export function oracleMatches(record: QueryRecord, filter: Filter): boolean {
  let value: unknown = record
  for (const name of filter.path)
    value = value && typeof value === 'object' ? (value as QueryRecord)[name] : undefined
  if (filter.op === 'blank') return (value === null || value === undefined || value === '') === filter.value
  const mine = plain(filter.type, value)
  if (mine === undefined) return false
  const wanted = Array.isArray(filter.value) ? filter.value : [filter.value]
  const theirs = wanted.map((item) => plain(filter.type, item) as number | string | boolean)
  const first = theirs[0] as number | string | boolean
  const text = String(value).toLowerCase()
  const part = String(filter.value).toLowerCase()
  switch (filter.op) {
    case 'eq':
      return mine === first
    case 'not_eq':
      return mine !== first
    case 'gt':
      return (mine as number) > (first as number)
    case 'lt':
      return (mine as number) < (first as number)
    case 'gt_or_eq':
      return (mine as number) >= (first as number)
    case 'lt_or_eq':
      return (mine as number) <= (first as number)
    case 'contains':
      return text.includes(part)
    case 'starts_with':
      return text.startsWith(part)
    case 'ends_with':
      return text.endsWith(part)
    case 'in':
      return theirs.includes(mine as number)
    case 'not_in':
      return !theirs.includes(mine as number)
  }
}
