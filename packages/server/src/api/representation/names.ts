/**
 * Field names, natural keys, writability and the fields of referenced records: the facts about a
 * definition that rendering and parsing both need.
 */
import type { FieldDefinition, ReferenceField, ReferencesField } from '../../catalogue/index.ts'
import type { ResolveResource } from './types.ts'

/**
 * Keys that identify a referenced record besides its id, kept by `return_object=shallow`.
 * `email` follows Coupa's sample `"expensed-by":{"id":20,"login":"user_login","email":"…"}`
 * (coupa-api-facts §6, api-return-formats).
 */
export const NATURAL_KEYS: ReadonlySet<string> = new Set(['name', 'code', 'login', 'number', 'email'])

/** Fields that are read-only unless their definition says otherwise (schema.ts, `writable`). */
const READ_ONLY_BY_DEFAULT: ReadonlySet<string> = new Set(['id', 'created_at', 'updated_at', 'status'])

/** `invoice_number` → `invoice-number`: keys and element names are dashed on the wire (§4.1). */
export function dasherize(name: string): string {
  return name.replaceAll('_', '-')
}

/** `invoice-number` → `invoice_number`: the wire accepts both forms, the engine uses this one. */
export function underscore(name: string): string {
  return name.replaceAll('-', '_')
}

/** Whether a field is accepted in POST and PUT bodies. */
export function isWritable(field: FieldDefinition): boolean {
  return field.writable ?? !READ_ONLY_BY_DEFAULT.has(field.name)
}

/**
 * The definitions of the fields a reference shows (`supplier` → `id`, `name`, `number` of
 * `suppliers`). Throws a plain Error when the resource is not declared or lacks a listed field:
 * that is a mistake in the resource catalogue, not in the request.
 */
export function referencedFields(
  ref: ReferenceField | ReferencesField,
  resolve: ResolveResource,
): FieldDefinition[] {
  const target = resolve(ref.resource)
  if (!target) throw new Error(`reference ${ref.name} points to ${ref.resource}, which is not declared`)
  return ref.fields.map(function findReferencedField(name) {
    const field = target.fields.find((candidate) => candidate.name === name)
    if (!field) throw new Error(`reference ${ref.name} lists ${name}, which ${ref.resource} does not have`)
    return field
  })
}

/** Indexes fields by underscored name. */
export function fieldsByName(fields: readonly FieldDefinition[]): Map<string, FieldDefinition> {
  return new Map(fields.map((field) => [field.name, field]))
}
