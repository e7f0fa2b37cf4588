/**
 * The query language of `GET /api/<resource>`, as Coupa defines it: paging, sorting, filters with
 * operators, `return_object` and the `fields` projection.
 * https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/querying-options
 */
import type { ResourceDefinition, ScalarType } from '../../catalogue/index.ts'

/** Every filter operator, written `attr[op]=value` (`eq` also plainly, `attr=value`), in the order error messages list them. */
export const OPERATORS = [
  'eq',
  'not_eq',
  'gt',
  'lt',
  'gt_or_eq',
  'lt_or_eq',
  'contains',
  'starts_with',
  'ends_with',
  'in',
  'not_in',
  'blank',
] as const

export type Operator = (typeof OPERATORS)[number]

/**
 * One condition of a query. All filters of a query must hold (AND).
 * `value` is a string for comparisons (a datetime normalised to UTC `toISOString()` form, a number
 * kept as written), a string list for `in`/`not_in`, a boolean for boolean attributes and `blank`.
 * `null` is never produced by {@link parseQuery}; a caller-built `eq null` means blank, `not_eq null`
 * means not blank.
 */
export interface Filter {
  /** Underscored names from the resource through references: `['supplier', 'name']`. */
  path: string[]
  /** Type of the attribute at the end of the path. */
  type: ScalarType
  op: Operator
  value: string | string[] | boolean | null
}

/** A `fields` projection: `["id", {"invoice_lines": ["id", "line_num"]}]`, names underscored. */
export type Projection = Array<string | { [name: string]: Projection }>

/** `return_object`: `full` (no parameter), `shallow`, `limited` (ids only) or `none` (empty body). */
export type ReturnObject = 'full' | 'shallow' | 'limited' | 'none'

/** `order_by` and `dir`. */
export interface OrderBy {
  /** An underscored scalar attribute of the resource. */
  field: string
  dir: 'asc' | 'desc'
}

/** A parsed query string. */
export interface QuerySpec {
  filters: Filter[]
  orderBy: OrderBy
  /** 0-based. */
  offset: number
  /** 1 to {@link MAX_LIMIT}. */
  limit: number
  returnObject: ReturnObject
  /** Present only when the request has `fields`. */
  fields?: Projection
}

/** Looks up a resource by name (`suppliers`), for references. */
export type ResolveResource = (name: string) => ResourceDefinition | undefined

export interface ParseQueryOptions {
  /** Parameter names the caller owns and handles itself (`exported` on PUT); dashes or underscores. */
  ignore?: readonly string[]
}

/** What Fastify hands over for a query string: raw keys (`supplier[name]`), repeated keys as arrays. */
export type QueryParams = Readonly<Record<string, string | readonly string[] | undefined>>

/** An expanded record: underscored keys, references as nested records or null, lines as arrays. */
export type QueryRecord = Readonly<Record<string, unknown>>

/** Coupa returns at most 50 records per GET; larger limits are capped, not refused. */
export const MAX_LIMIT = 50

/** Parameters that are not filters. */
export const QUERY_PARAMETERS = ['offset', 'limit', 'order_by', 'dir', 'return_object', 'fields'] as const
