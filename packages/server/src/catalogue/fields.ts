/**
 * The field builders the resources (resources/*.ts) are declared with, one short call a field:
 * `text('invoice_number', 'required')`, `decimal('total', 'readOnly')`,
 * `text('login', 'required', 'unique')`, `text('firstname', 'required', { label: 'First Name' })`.
 * Each builds the plain object of definitions.ts that the engine, the docs and the tests read.
 */
import type {
  FieldDefinition,
  LinesField,
  ReferenceField,
  ReferencesField,
  ScalarField,
  ScalarType,
} from './definitions.ts'

/** What a field may say besides its name and type. */
export type Modifier = 'required' | 'readOnly' | 'unique'

/**
 * A modifier, or details: `label`, the name Coupa's messages give the field (`First Name` for
 * `firstname`); `default`, the value a create without it gets; `joins`, the fields a computed
 * read-only field is made of (`fullname` = firstname + " " + lastname).
 */
export type FieldOption = Modifier | Pick<ScalarField, 'label' | 'default' | 'joins'>

const modifiers = {
  /** Must be present on create and never blank. */
  required: { required: true },
  /** Shown, never changed by a POST or PUT body: computed, or moved by an action. */
  readOnly: { writable: false },
  /** No two records have the same value (case-insensitively for text). */
  unique: { unique: true },
} as const satisfies Record<Modifier, Pick<ScalarField, 'required' | 'writable' | 'unique'>>

function optionsOf(options: readonly FieldOption[]): Partial<ScalarField> {
  return Object.assign(
    {},
    ...options.map((option) => (typeof option === 'string' ? modifiers[option] : option)),
  )
}

function scalarOf(type: ScalarType) {
  return function scalar(name: string, ...options: FieldOption[]): ScalarField {
    return { kind: 'scalar', name, type, ...optionsOf(options) }
  }
}

/** A string field. */
export const text = scalarOf('string')
/** An integer field. */
export const integer = scalarOf('integer')
/** A decimal field: amounts, prices and rates. */
export const decimal = scalarOf('decimal')
/** A float field: quantities. */
export const float = scalarOf('float')
/** A boolean field. */
export const flag = scalarOf('boolean')
/** A date and time field. */
export const datetime = scalarOf('datetime')

/** A string field that takes one of `values`: `oneOf('document_type', ['Invoice', 'Credit Note'])`. */
export function oneOf(name: string, values: readonly string[], ...options: FieldOption[]): ScalarField {
  return { kind: 'scalar', name, type: 'string', ...optionsOf(options), values }
}

/** A reference shown as a nested object: `ref('payment_term', 'payment_terms', ['id', 'code'])`. */
export function ref(
  name: string,
  resource: string,
  fields: readonly string[],
  ...options: Array<'required' | 'readOnly' | Pick<ReferenceField, 'label'>>
): ReferenceField {
  return { kind: 'reference', name, resource, fields, ...(optionsOf(options) as Partial<ReferenceField>) }
}

/**
 * A read-only list of references, each an XML `element`:
 * `refs('roles', 'roles', 'role', ['id', 'name'])`.
 */
export function refs(
  name: string,
  resource: string,
  element: string,
  fields: readonly string[],
): ReferencesField {
  return { kind: 'references', name, resource, element, fields, writable: false }
}

/** A nested list of lines, each an XML `element`: `lines('order_lines', 'order-line', […])`. */
export function lines(name: string, element: string, fields: readonly FieldDefinition[]): LinesField {
  return { kind: 'lines', name, element, fields }
}
