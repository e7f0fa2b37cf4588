/**
 * Custom fields: what an instance adds to a resource's records at run time, such as the ERP key
 * of a supplier (`erp-vendor-id`). Coupa lists `custom-fields{}` among the fields of an invoice
 * (coupa-api-facts §6) and selects them with `fields=[{"custom_fields":{}}]` (§4.2).
 *
 * The engine sees them as one nested object, `custom_fields`, declared as a reference to a
 * resource of their own (`invoices/custom_fields`) whose scalar fields are the active custom
 * fields: rendering, the `fields` projection, the XML reader and filters such as
 * `custom_fields[erp_vendor_id]=V-1001` then work as they do for any reference. Only storing and
 * expanding differ: the object is kept inside the record, not pointed to by an id.
 */
import type {
  FieldDefinition,
  ReferenceField,
  ResourceDefinition,
  ScalarField,
  ScalarType,
} from './definitions.ts'

/** The types a custom field may have. */
export const CUSTOM_FIELD_TYPES = ['string', 'integer', 'boolean', 'date', 'lookup'] as const
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number]

/** One custom field of a resource, as the engine reads it. */
export interface CustomFieldDefinition {
  /** The resource whose records carry it: `invoices`. */
  resource: string
  /** Underscored like every field name (`erp_vendor_id`); the wire dashes it (`erp-vendor-id`). */
  name: string
  /** Shown in messages: `ERP Vendor ID can't be blank`. */
  label: string
  type: CustomFieldType
  /**
   * A lookup's allowed values. A lookup is kept as the list of its values, not as a reference to
   * the `lookup_values` resource, so that checking a write needs no read of the store.
   */
  values: readonly string[] | null
  /** Must be given when a record is created. */
  required: boolean
  /** Inactive fields are neither shown nor accepted; their stored values are kept. */
  active: boolean
}

/** The name of the nested object in every record: `custom-fields` on the wire. */
export const CUSTOM_FIELDS = 'custom_fields'

/** A custom field name: letters, digits, dashes and underscores, starting with a letter. */
export const CUSTOM_FIELD_NAME = /^[a-z][a-z0-9_-]{0,62}$/

/** The name of the resource that holds the custom fields of `resource`: `invoices/custom_fields`. */
export function customFieldsResourceName(resource: string): string {
  return `${resource}/${CUSTOM_FIELDS}`
}

/** The `custom_fields` object of a definition: declared as a reference, kept inside the record. */
export interface CustomFieldsGroup extends ReferenceField {
  customFields: true
}

/** Whether a field of a definition is the `custom_fields` object (not a reference to a record). */
export function isCustomFieldsGroup(field: FieldDefinition): field is CustomFieldsGroup {
  return field.kind === 'reference' && (field as Partial<CustomFieldsGroup>).customFields === true
}

const SCALAR_TYPES: Readonly<Record<CustomFieldType, ScalarType>> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  date: 'date',
  lookup: 'string',
}

/** The scalar field a custom field is read, rendered and filtered as. */
export function customScalarField(field: CustomFieldDefinition): ScalarField {
  return {
    kind: 'scalar',
    name: field.name,
    type: SCALAR_TYPES[field.type],
    ...(field.type === 'lookup' && field.values ? { values: field.values } : {}),
  }
}

/**
 * `def` with its active custom fields as the `custom_fields` object, and the resource that object
 * points to; `def` itself when it has none (its records then look as they always did).
 */
export function withCustomFields(
  def: ResourceDefinition,
  fields: readonly CustomFieldDefinition[],
): { def: ResourceDefinition; group: ResourceDefinition | undefined } {
  const active = fields.filter((field) => field.active && field.resource === def.name)
  if (active.length === 0) return { def, group: undefined }
  const group: ResourceDefinition = {
    ...def,
    name: customFieldsResourceName(def.name),
    fields: active.map(customScalarField),
    actions: [],
  }
  const reference: CustomFieldsGroup = {
    kind: 'reference',
    name: CUSTOM_FIELDS,
    resource: group.name,
    fields: active.map((field) => field.name),
    customFields: true,
  }
  return { def: { ...def, fields: [...def.fields, reference] }, group }
}
