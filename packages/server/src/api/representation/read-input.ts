/**
 * Reads the fields of a request body, JSON or XML alike (XML arrives as loose JSON, xml-input.ts),
 * into an underscored record typed by the definition. Problems are collected, not thrown one by
 * one, so that the client sees all of them at once.
 */
import { isCustomFieldsGroup } from '../../catalogue/custom-fields.ts'
import type { FieldDefinition, LinesField, ReferenceField, ScalarField } from '../../catalogue/index.ts'
import { dasherize, fieldsByName, referencedFields, underscore } from './names.ts'
import { INVALID, readScalar } from './scalar-input.ts'
import type { FieldValue, ResolveResource, ResourceRecord, ScalarValue } from './types.ts'
import type { Loose } from './xml-input.ts'

/** What reading needs besides the value: referenced definitions, and where problems go. */
export interface ReadContext {
  resolve: ResolveResource
  errors: string[]
}

/**
 * The fields of `value`, typed. Read-only fields (`id`, `created_at`, `status`, …) are read like
 * the others, not dropped: the engine accepts them when they change nothing (a client sends back
 * what it read) and refuses them otherwise (api/body-rules.ts); inside lines `id` names the line.
 * Unknown fields and values of the wrong type are reported.
 */
export function readFields(
  fields: readonly FieldDefinition[],
  value: Loose,
  path: string,
  context: ReadContext,
): ResourceRecord {
  const record: Record<string, FieldValue> = {}
  if (!isObject(value)) {
    context.errors.push(`${path.replace(/\.$/, '') || 'the body'} must be an object`)
    return record
  }
  const byName = fieldsByName(fields)
  for (const [key, raw] of Object.entries(value)) {
    const name = underscore(key)
    const where = path + dasherize(name)
    const field = byName.get(name)
    if (!field) context.errors.push(`unknown field ${path}${key}`)
    else if (Object.hasOwn(record, name)) context.errors.push(`${where} is given twice`)
    else record[name] = readField(field, raw, where, context)
  }
  return record
}

function readField(field: FieldDefinition, raw: Loose, path: string, context: ReadContext): FieldValue {
  if (field.kind === 'scalar') return readScalarField(field, raw, path, context)
  // `custom-fields`: an object of the resource's custom fields, typed by them (catalogue/custom-fields.ts).
  if (isCustomFieldsGroup(field))
    return readFields(referencedFields(field, context.resolve), raw, `${path}.`, context)
  if (field.kind === 'reference') return readReference(field, raw, path, context)
  if (field.kind === 'references') return readReferenceIds(raw, path, context)
  return readLines(field, raw, path, context)
}

/**
 * A list of references (`roles`) is read-only: it is read as the ids it names, so that the engine
 * can tell a list sent back as it was read from one that would change (body-rules.ts).
 */
function readReferenceIds(raw: Loose, path: string, context: ReadContext): FieldValue {
  if (raw === null) return null
  if (!Array.isArray(raw)) {
    context.errors.push(`${path} must be an array`)
    return null
  }
  return raw.map((entry) => {
    const id = isObject(entry) && entry.id !== undefined ? readScalar('integer', entry.id) : null
    return { id: typeof id === 'number' ? id : null }
  })
}

function readScalarField(field: ScalarField, raw: Loose, path: string, context: ReadContext): ScalarValue {
  const value = readScalar(field.type, raw)
  if (value === INVALID) {
    context.errors.push(`${path} must be ${field.type === 'integer' ? 'an' : 'a'} ${field.type}`)
    return null
  }
  if (value !== null && field.values && !field.values.includes(String(value))) {
    context.errors.push(`${path} must be one of ${field.values.join(', ')}`)
  }
  return value
}

/**
 * A reference names an existing record by id or natural key: `{"supplier":{"id":17}}`,
 * `{"supplier":{"name":"Insight"}}`. The engine looks it up; here it is only typed.
 */
function readReference(field: ReferenceField, raw: Loose, path: string, context: ReadContext): FieldValue {
  if (raw === null) return null
  const shown = referencedFields(field, context.resolve)
  const keys = shown.filter((key) => key.kind === 'scalar')
  // A reference sent back as it was read carries the references it shows (an account's
  // `account-type`, an address's `country`): they describe the record its scalar keys name.
  const described = new Set(shown.filter((key) => key.kind !== 'scalar').map((key) => key.name))
  const before = context.errors.length
  const reference: Record<string, FieldValue> = {}
  if (!isObject(raw)) {
    context.errors.push(`${path} must be an object such as {"id":17}`)
    return null
  }
  const byName = fieldsByName(keys)
  for (const [wireName, value] of Object.entries(raw)) {
    const name = underscore(wireName)
    const key = byName.get(name)
    if (described.has(name)) continue
    if (!key) context.errors.push(`unknown field ${path}.${wireName}`)
    else reference[name] = readField(key, value, `${path}.${dasherize(name)}`, context)
  }
  const identified = Object.values(reference).some((value) => value !== null)
  if (!identified && context.errors.length === before) {
    context.errors.push(`${path} must give ${keys.map((key) => dasherize(key.name)).join(' or ')}`)
  }
  return reference
}

function readLines(field: LinesField, raw: Loose, path: string, context: ReadContext): FieldValue {
  if (raw === null) return null
  if (!Array.isArray(raw)) {
    context.errors.push(`${path} must be an array of ${field.element}`)
    return null
  }
  return raw.map(function readLine(line, index) {
    return readFields(field.fields, line, `${path}[${index}].`, context)
  })
}

function isObject(value: Loose): value is { [key: string]: Loose } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
