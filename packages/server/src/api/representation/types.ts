/**
 * Types shared by the Coupa-compatible JSON and XML representation of core API resources.
 * Inside the engine a record is a plain object with underscored keys; the wire dashes them.
 */

import type { ResourceDefinition } from '../../catalogue/index.ts'
import type { Format } from '../format.ts'

/** The two wire formats of the Coupa core API (coupa-api-facts §4.1), as content negotiation picks them. */
export type { Format } from '../format.ts'

/** A rendered response body and the media type to send it with. */
export interface Rendered {
  contentType: string
  body: string
}

/** The `Content-Type` sent with each format. */
export const CONTENT_TYPES: Readonly<Record<Format, string>> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
}

/**
 * A scalar as held in a record: integer and float are numbers, decimal a string (`"567.07"`, so it
 * stays exact), boolean a boolean, datetime an ISO 8601 string, date `YYYY-MM-DD`, string a string.
 */
export type ScalarValue = string | number | boolean | null

/** One field's value: a scalar, an expanded reference (a nested record), or lines. */
export type FieldValue = ScalarValue | ResourceRecord | readonly ResourceRecord[]

/** A record with underscored keys (`invoice_number`), typed by its resource's fields. */
export interface ResourceRecord {
  readonly [name: string]: FieldValue | undefined
}

/**
 * Finds the definition of a resource by its name (`suppliers`), or undefined; the same function the
 * query parser takes. The representation needs it to type the fields shown inside references.
 */
export type ResolveResource = (name: string) => ResourceDefinition | undefined

/** Coupa's `return_object` query parameter, plus `full` for its absence (coupa-api-facts §4.2). */
export type ReturnObject = 'full' | 'shallow' | 'limited' | 'none'

/**
 * Coupa's `fields` query parameter: `["id","invoice_number",{"invoice_lines":["id","line_num"]}]`.
 * Names may be dashed or underscored; an object names a reference or lines and projects inside it.
 */
export type Projection = ReadonlyArray<string | { readonly [name: string]: Projection }>

/** How much of a record to show. `fields`, when given, wins over `returnObject` (except `none`). */
export interface View {
  returnObject: ReturnObject
  fields?: Projection
}
