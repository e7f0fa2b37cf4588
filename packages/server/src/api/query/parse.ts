/**
 * `parseQuery`: the whole query string of `GET /api/<resource>` into a {@link QuerySpec}.
 * https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/querying-options
 */
import type { ResourceDefinition } from '../../catalogue/index.ts'
import { QueryError } from './errors.ts'
import { parseFields } from './fields.ts'
import { parseFilter } from './filters.ts'
import { quote, underscore } from './names.ts'
import { parseDir, parseLimit, parseOffset, parseOrderField, parseReturnObject } from './paging.ts'
import {
  MAX_LIMIT,
  type ParseQueryOptions,
  type QueryParams,
  type QuerySpec,
  type ResolveResource,
} from './types.ts'

/** The values given for one parameter, under the first spelling the request used. */
interface Given {
  key: string
  values: string[]
}

type Setter = (spec: QuerySpec, raw: string, def: ResourceDefinition, resolve: ResolveResource) => void

/** The parameters that are not filters, and where each goes in the spec. */
const SETTERS: Readonly<Record<string, Setter>> = {
  offset: function setOffset(spec, raw) {
    spec.offset = parseOffset(raw)
  },
  limit: function setLimit(spec, raw) {
    spec.limit = parseLimit(raw)
  },
  order_by: function setOrderBy(spec, raw, def) {
    spec.orderBy.field = parseOrderField(def, raw)
  },
  dir: function setDir(spec, raw) {
    spec.orderBy.dir = parseDir(raw)
  },
  return_object: function setReturnObject(spec, raw) {
    spec.returnObject = parseReturnObject(raw)
  },
  fields: function setFields(spec, raw, def, resolve) {
    spec.fields = parseFields(def, raw, resolve)
  },
}

/**
 * Groups the parameters by name with dashes read as underscores, so that `updated-at[gt]` and
 * `updated_at[gt]` count as the same parameter.
 */
function groupParams(params: QueryParams, ignore: ReadonlySet<string>): Map<string, Given> {
  const groups = new Map<string, Given>()
  for (const [key, value] of Object.entries(params)) {
    const name = underscore(key)
    if (value === undefined || ignore.has(name)) continue
    const values = typeof value === 'string' ? [value] : value.map(String)
    const group = groups.get(name)
    if (group) group.values.push(...values)
    else groups.set(name, { key, values })
  }
  return groups
}

function repeated(name: string, count: number): QueryError {
  const plainFilter = !Object.hasOwn(SETTERS, name) && !name.includes('[') && name.length <= 50
  const hint = plainFilter ? `; for several values write ${name}[in]=a,b` : ''
  return new QueryError([`parameter ${quote(name)} is given ${count} times; give it once${hint}`])
}

/** Applies one parameter to the spec. */
function applyParam(
  spec: QuerySpec,
  name: string,
  given: Given,
  def: ResourceDefinition,
  resolve: ResolveResource,
) {
  const [raw] = given.values
  if (raw === undefined) return
  if (given.values.length > 1) throw repeated(name, given.values.length)
  const setter = Object.hasOwn(SETTERS, name) ? SETTERS[name] : undefined
  if (setter) setter(spec, raw, def, resolve)
  else spec.filters.push(parseFilter(def, given.key, raw, resolve))
}

/** The spec of an empty query: every record, by id, the first page, each in full. */
export function defaultQuerySpec(): QuerySpec {
  return {
    filters: [],
    orderBy: { field: 'id', dir: 'asc' },
    offset: 0,
    limit: MAX_LIMIT,
    returnObject: 'full',
  }
}

/**
 * Parses the query string of `GET /api/<resource>` for resource `def`: paging (`offset`, `limit`,
 * capped at 50), sorting (`order_by`, `dir`), filters (`attr=value`, `attr[op]=value`, through
 * references `supplier[name][contains]=…`), `return_object` and the `fields` projection.
 * Names may be dashed or underscored; the spec holds them underscored.
 *
 * @param params - the query as Fastify parses it: raw keys, repeated keys as arrays.
 * @param resolve - looks up the resources that reference fields point to.
 * @param options - `ignore`: parameter names the caller handles itself.
 * @throws QueryError with one message per offending parameter (unknown parameter, attribute or
 *   operator, filter on lines, bad value, repeated parameter).
 * @throws Error when a reference points to a resource `resolve` does not know (a declaration bug).
 * @example
 * parseQuery(invoices, { 'supplier[name][contains]': 'fish', 'updated-at[gt]': '2010-01-15', limit: '10' }, resolve)
 * // → { filters: [{ path: ['supplier', 'name'], type: 'string', op: 'contains', value: 'fish' }, …], limit: 10, … }
 */
export function parseQuery(
  def: ResourceDefinition,
  params: QueryParams,
  resolve: ResolveResource,
  options: ParseQueryOptions = {},
): QuerySpec {
  const spec = defaultQuerySpec()
  const messages: string[] = []
  const ignore = new Set((options.ignore ?? []).map(underscore))
  for (const [name, given] of groupParams(params, ignore)) {
    try {
      applyParam(spec, name, given, def, resolve)
    } catch (error) {
      if (!(error instanceof QueryError)) throw error
      messages.push(...error.messages)
    }
  }
  if (messages.length > 0) throw new QueryError(messages)
  return spec
}
