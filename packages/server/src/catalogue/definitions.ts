/**
 * How a core API resource is declared. Every resource is declared once (resources/*.ts) and one
 * generic engine serves it: routes, query language, JSON and XML, scopes, state machine.
 * Names are underscored here (`invoice_number`); the wire dashes them (`invoice-number`).
 */
import type { ScopeName } from './scopes.ts'

/** Scalar types; they drive the JSON and XML representation and the query operators. */
export type ScalarType = 'integer' | 'string' | 'decimal' | 'float' | 'boolean' | 'datetime' | 'date'

export interface ScalarField {
  kind: 'scalar'
  name: string
  type: ScalarType
  /** Accepted in POST/PUT bodies (default true, except id, created_at, updated_at, status). */
  writable?: boolean
  /** Must be present on create. */
  required?: boolean
  /** Allowed values (`status`). */
  values?: readonly string[]
  /** No two records of the resource have the same value; text compares case-insensitively. */
  unique?: boolean
  /** Its name in Coupa's messages (`First Name can't be blank`); default: from the name, `Firstname`. */
  label?: string
  /** The value a created record gets when the body does not give one (a user is `active`). */
  default?: string | number | boolean
  /** Computed, read-only: these fields' values joined by a space, on create and update (`fullname`). */
  joins?: readonly string[]
}

/** An association shown as a nested object: `supplier`, `currency`, `account`. */
export interface ReferenceField {
  kind: 'reference'
  name: string
  /** The resource it points to (`suppliers`); its record is read at render time. */
  resource: string
  /** The fields of the referenced record shown nested (`['id', 'name', 'number']`). */
  fields: readonly string[]
  writable?: boolean
  required?: boolean
  /** Its name in Coupa's messages; default: from the name. */
  label?: string
}

/**
 * A list of associations shown as nested objects: a user's `roles`
 * (`"roles":[{"id":2,"name":"Admin","omnipotent":true,"system-role":true}]`, coupa-api-facts §6), a
 * user group's `users`. Stored as `[{ id }]`; read-only here (set by the demo data and the store).
 */
export interface ReferencesField {
  kind: 'references'
  name: string
  /** The resource its entries point to (`roles`). */
  resource: string
  /** XML element of one entry: `role`. */
  element: string
  /** The fields of each referenced record shown nested (`['id', 'name']`). */
  fields: readonly string[]
  /** Always false: the builder (`refs`) declares it read-only. */
  writable?: boolean
  required?: false
}

/** A nested list of sub-records: `invoice_lines`, `order_lines`. */
export interface LinesField {
  kind: 'lines'
  name: string
  /** XML element of one line: `invoice-line`. */
  element: string
  fields: readonly FieldDefinition[]
  writable?: boolean
}

export type FieldDefinition = ScalarField | ReferenceField | ReferencesField | LinesField

export type Action = 'index' | 'show' | 'create' | 'update'

/** A custom action: `PUT /api/invoices/:id/void`. */
export interface CustomAction {
  name: string
  scope: ScopeName
  /** Statuses it may start from; anything else is a 400. */
  from: readonly string[]
  /** The status it leads to. */
  to: string
  /** Fields the action's body may set, read-only ones included (`dispute_reason` of a dispute). */
  writes?: readonly string[]
}

export interface ResourceDefinition {
  /** Path segment and plural name: `invoices`. */
  name: string
  /** Singular wire name used in error bodies and JSON: `invoice` → `{"errors":{"invoice":[…]}}`. */
  singular: string
  /** XML root of one record (`invoice-header`) and of a list (`invoice-headers`). */
  xmlRoot: string
  xmlCollection: string
  category: 'master' | 'transactional'
  /** Scope of each standard action; index and show share the read scope. */
  scopes: { read: ScopeName; create: ScopeName; update: ScopeName }
  fields: readonly FieldDefinition[]
  actions?: readonly CustomAction[]
  /** Status of a record created through the API (`draft`); absent when the resource has no status. */
  initialStatus?: string
}
