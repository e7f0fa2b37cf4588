/** Name lookups shared by the query parsers: wire names are dashed or underscored. */
import type { FieldDefinition, ResourceDefinition, ScalarField } from '../../catalogue/index.ts'
import type { ResolveResource } from './types.ts'

/** `updated-at` → `updated_at`: Coupa takes either form in query parameters. */
export function underscore(name: string): string {
  return name.replaceAll('-', '_')
}

/** The field named `name` (dashed or underscored) in a declaration's list, if any. */
export function findField(fields: readonly FieldDefinition[], name: string): FieldDefinition | undefined {
  const wanted = underscore(name)
  return fields.find((field) => field.name === wanted)
}

/** The scalar fields of a resource, the ones `order_by` and filters take. */
export function scalarFields(def: ResourceDefinition): ScalarField[] {
  return def.fields.filter((field): field is ScalarField => field.kind === 'scalar')
}

/** `id, invoice_number, …, supplier[…]`: what a filter on `def` may name. */
export function describeFilterable(def: ResourceDefinition): string {
  return def.fields
    .filter((field) => field.kind !== 'lines')
    .map((field) => (field.kind === 'scalar' ? field.name : `${field.name}[…]`))
    .join(', ')
}

/**
 * The definition a reference points to. A reference to an undeclared resource is a bug in the
 * declarations, not in the request, so it is a plain Error (a 500), which the catalogue tests catch.
 */
export function resolveReference(
  resolve: ResolveResource,
  from: string,
  resource: string,
): ResourceDefinition {
  const target = resolve(resource)
  if (!target) throw new Error(`${from} refers to resource "${resource}", which is not declared`)
  return target
}

const MAX_QUOTED = 100

/** Quotes text from a request for an error message: JSON-escaped and cut to 100 characters. */
export function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text)
}
