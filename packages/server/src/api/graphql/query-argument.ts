/**
 * The `query` argument of a collection: the query string of the REST index, parsed by the same
 * parser (coupa-api-facts §4.3: `query:"id[lt_or_eq]=5"` "can also be dropped straight into our
 * REST APIs"). Filters, `offset`, `limit` (capped at 50), `order_by` and `dir` apply; `fields` and
 * `return_object` choose a REST representation, which the GraphQL selection replaces.
 */
import type { ResourceDefinition } from '../../catalogue/index.ts'
import { parseQuery, QueryError, type QuerySpec } from '../query/index.ts'
import type { ResolveResource } from '../representation/index.ts'

const REST_ONLY = ['fields', 'return_object']

/** @throws QueryError naming every offending parameter, as the REST index does. */
export function parseGraphqlQuery(
  def: ResourceDefinition,
  query: string | null | undefined,
  resolve: ResolveResource,
): QuerySpec {
  const params: Record<string, string[]> = {}
  for (const [key, value] of new URLSearchParams(query ?? '')) {
    if (REST_ONLY.includes(key.replaceAll('-', '_'))) {
      throw new QueryError([`${key} does not apply in GraphQL: select the fields in the query instead`])
    }
    params[key] = [...(params[key] ?? []), value]
  }
  return parseQuery(def, params, resolve)
}
