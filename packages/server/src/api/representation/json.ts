/**
 * JSON rendering of a plan. A record is a bare object and a list a bare array: "In JSON no parent
 * node available in response" (coupa-api-facts §4.1, differences-between-xml-and-json-in-coupa).
 */
import { dasherize } from './names.ts'
import type { Plan, PlannedField } from './plan.ts'
import { type DatetimeWriter, scalarJson, utcDatetimes } from './scalar-output.ts'
import type { ResourceRecord } from './types.ts'

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** The JSON value of one record: an object with dashed keys, in plan order. */
export function recordJson(
  plan: Plan,
  record: ResourceRecord,
  writeDatetime: DatetimeWriter = utcDatetimes,
): { [key: string]: JsonValue } {
  // fromEntries defines own properties, so no key can reach the prototype.
  return Object.fromEntries(
    plan.map(function fieldEntry(field) {
      return [dasherize(field.name), fieldJson(field, record[field.name], writeDatetime)]
    }),
  )
}

function fieldJson(field: PlannedField, value: unknown, writeDatetime: DatetimeWriter): JsonValue {
  if (field.kind === 'scalar') return scalarJson(field.type, value, field.name, writeDatetime)
  if (value === null || value === undefined) return null
  if (field.kind === 'reference') return recordJson(field.fields, asRecord(value, field.name), writeDatetime)
  if (!Array.isArray(value))
    throw new TypeError(`field ${field.name} holds a ${typeof value} where lines are expected`)
  return value.map((line: unknown) => recordJson(field.fields, asRecord(line, field.name), writeDatetime))
}

/** Narrows a nested value to a record; anything else is a bug in the engine's record. */
export function asRecord(value: unknown, name: string): ResourceRecord {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as ResourceRecord
  throw new TypeError(`field ${name} holds a ${typeof value} where a record is expected`)
}
