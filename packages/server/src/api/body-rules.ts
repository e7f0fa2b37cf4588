/**
 * What a POST or PUT body may do, besides having the right types (representation/read-input.ts):
 * every field either changes the record or is refused with a message naming it; nothing is dropped
 * in silence. Also Coupa's record validations that need no store: required fields not blank
 * (`First Name can't be blank`), defaults on create and computed fields (coupa-api-facts §4.5, §6).
 */
import type { CustomAction, FieldDefinition, ResourceDefinition, ScalarField } from '../catalogue/index.ts'
import { compareValues } from './query/compare.ts'
import { parseInstant } from './query/datetime.ts'
import { dasherize, isWritable } from './representation/index.ts'

type Input = Readonly<Record<string, unknown>>
type Stored = Readonly<Record<string, unknown>>

/** Read-only fields a POST may carry whatever their value: what a client read from a record. */
const ANY_ON_CREATE: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at'])

/** What a body changes, and what it may not do (empty when nothing). */
export interface BodyChanges {
  changes: Record<string, unknown>
  problems: string[]
}

/**
 * The fields of `input` a create (`current` undefined), an update or `action` may write.
 *
 * A field it may not write (read-only, or outside an action's `writes`) is accepted when it would
 * change nothing: on update its value equals the stored one (as the API shows it: datetimes to the
 * second, decimals by value), so a GET-then-PUT round trip works; on create it is null, or it is
 * `id`, `created_at` or `updated_at`. Any other value is a problem naming the field and, where an
 * action moves it, the action. In lines, `id` names the line the other values are compared with.
 */
export function bodyChanges(
  def: ResourceDefinition,
  input: Input,
  current: Stored | undefined,
  action?: CustomAction,
): BodyChanges {
  const problems: string[] = []
  const changes: Record<string, unknown> = {}
  for (const field of def.fields) {
    const value = input[field.name]
    if (value === undefined) continue
    const writable = action ? (action.writes ?? []).includes(field.name) : isWritable(field)
    if (writable) {
      changes[field.name] =
        field.kind === 'lines' && Array.isArray(value)
          ? value.map((line: Input, index) =>
              lineChanges(
                field.fields,
                line,
                current?.[field.name],
                `${dasherize(field.name)}[${index}].`,
                problems,
              ),
            )
          : value
    } else if (!unchanged(field, value, current, action)) {
      problems.push(refusal(def, field, value, action))
    }
  }
  return { changes, problems }
}

/** A line's writable fields; its `id` names the stored line its read-only values are compared with. */
function lineChanges(
  fields: readonly FieldDefinition[],
  line: Input,
  storedLines: unknown,
  path: string,
  problems: string[],
): Record<string, unknown> {
  const id = line.id
  const stored = Array.isArray(storedLines)
    ? (storedLines as Stored[]).find((candidate) => candidate.id === id)
    : undefined
  if (id != null && storedLines !== undefined && !stored) {
    problems.push(`${path}id ${String(id)} is not a line of this record; leave id out for a new line`)
    return {}
  }
  const changes: Record<string, unknown> = {}
  for (const field of fields) {
    const value = line[field.name]
    if (value === undefined) continue
    if (isWritable(field)) changes[field.name] = value
    else if (field.name === 'id') {
      if (stored) changes.id = id
    } else if (!unchanged(field, value, stored ?? (storedLines === undefined ? undefined : {}))) {
      problems.push(`${path}${dasherize(field.name)} is read-only`)
    }
  }
  return changes
}

/** Whether a field the body may not write would change nothing. */
function unchanged(
  field: FieldDefinition,
  value: unknown,
  current: Stored | undefined,
  action?: CustomAction,
) {
  if (current === undefined) return value === null || ANY_ON_CREATE.has(field.name)
  // An action's body may say the status the action leads to: that is what it does.
  if (action && field.name === 'status' && value === action.to) return true
  return sameValue(field, value, current[field.name])
}

/** Equal as the API shows them: scalars by value (datetimes to the second), references by id. */
function sameValue(field: FieldDefinition, given: unknown, stored: unknown): boolean {
  // Lines never stored are shown as an empty list (records.ts): the two are the same.
  if (field.kind === 'lines') return sameLines(field.fields, given ?? [], stored ?? [])
  if (field.kind === 'references') return sameIds(given ?? [], stored ?? [])
  if (given == null || stored == null) return given == null && stored == null
  if (field.kind === 'scalar') return sameScalar(field, given, stored)
  return (given as { id?: unknown }).id === (stored as { id?: unknown }).id
}

/** Lists of references are the same when they name the same records in the same order. */
function sameIds(given: unknown, stored: unknown): boolean {
  const ids = (list: unknown) => (Array.isArray(list) ? list.map((entry) => entry?.id) : [])
  return Array.isArray(given) && JSON.stringify(ids(given)) === JSON.stringify(ids(stored))
}

/** Lines as given equal the stored ones: as many, each given field equal to the stored line's. */
function sameLines(fields: readonly FieldDefinition[], given: unknown, stored: unknown): boolean {
  if (!Array.isArray(given) || !Array.isArray(stored) || given.length !== stored.length) return false
  return given.every((line: Stored, index) =>
    fields.every(
      (f) => line[f.name] === undefined || sameValue(f, line[f.name], (stored[index] as Stored)[f.name]),
    ),
  )
}

function sameScalar(field: ScalarField, given: unknown, stored: unknown): boolean {
  if (field.type !== 'datetime') return compareValues(field.type, given, stored) === 0
  const a = typeof given === 'string' ? parseInstant(given) : undefined
  const b = typeof stored === 'string' ? parseInstant(stored) : undefined
  return a !== undefined && b !== undefined && Math.floor(a / 1000) === Math.floor(b / 1000)
}

/** Why a field may not be written, and what writes it instead. */
function refusal(def: ResourceDefinition, field: FieldDefinition, value: unknown, action?: CustomAction) {
  const name = dasherize(field.name)
  if (action) {
    const takes = (action.writes ?? []).map(dasherize)
    return `${name} is not changed by ${action.name}: its body takes ${takes.length ? takes.join(', ') : 'no fields'}`
  }
  const path = (name: string) => `PUT /api/${def.name}/:id/${name}`
  const actions = def.actions ?? []
  if (field.name === 'status' && actions.length > 0) {
    const leading = actions.filter((a) => a.to === value)
    if (leading.length > 0) return `status is read-only: use ${leading.map((a) => path(a.name)).join(' or ')}`
    return `status is read-only: it moves with ${actions.map((a) => path(a.name)).join(', ')}`
  }
  const writers = actions.filter((a) => a.writes?.includes(field.name))
  if (writers.length > 0) return `${name} is read-only: use ${writers.map((a) => path(a.name)).join(' or ')}`
  if (field.kind === 'scalar' && field.joins) {
    return `${name} is read-only: it is ${field.joins.map(dasherize).join(' and ')} joined`
  }
  return `${name} is read-only`
}

/** `invoice_number` → `Invoice Number`, as Coupa words its messages; a field's `label` first. */
export function labelOf(field: FieldDefinition | string): string {
  if (typeof field !== 'string' && 'label' in field && field.label) return field.label
  const name = typeof field === 'string' ? field : field.name
  return name.replace(/[-_]/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase())
}

/**
 * `<Label> can't be blank` for each required field the record leaves blank (null, missing, or text
 * of only spaces, as Rails' `blank?`). `given`: on update, only the fields the body gives.
 */
export function blankRequired(def: ResourceDefinition, record: Input, given?: Input): string[] {
  return def.fields
    .filter((f) => f.kind !== 'lines' && f.required && (!given || f.name in given))
    .filter((f) => isBlank(record[f.name]))
    .map((f) => `${labelOf(f)} can't be blank`)
}

function isBlank(value: unknown): boolean {
  return value == null || (typeof value === 'string' && value.trim() === '')
}

/** The record with its defaults where the create body gave nothing (a user is active). */
export function withDefaults(def: ResourceDefinition, record: Record<string, unknown>): void {
  for (const field of def.fields) {
    if (field.kind === 'scalar' && field.default !== undefined && record[field.name] === undefined) {
      record[field.name] = field.default
    }
  }
}

/** Computed fields from the fields they join: `fullname` = firstname + " " + lastname. */
export function computeJoins(def: ResourceDefinition, record: Record<string, unknown>): void {
  for (const field of def.fields) {
    if (field.kind !== 'scalar' || !field.joins) continue
    const parts = field.joins.map((name) => record[name]).filter((v) => v != null && String(v).trim() !== '')
    record[field.name] = parts.length > 0 ? parts.map(String).join(' ') : null
  }
}
