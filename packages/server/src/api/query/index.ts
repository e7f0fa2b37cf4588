/** The query language of `GET /api/<resource>`: parse a query string, filter and sort records. */
export { compareValues } from './compare.ts'
export { QueryError } from './errors.ts'
export { isSimpleFilter, matchesFilter, matchesFilters } from './match.ts'
export { operatorsFor } from './operators.ts'
export { compareRecords } from './order.ts'
export { defaultQuerySpec, parseQuery } from './parse.ts'
export type {
  Filter,
  Operator,
  OrderBy,
  ParseQueryOptions,
  Projection,
  QueryParams,
  QueryRecord,
  QuerySpec,
  ResolveResource,
  ReturnObject,
} from './types.ts'
export { MAX_LIMIT, OPERATORS, QUERY_PARAMETERS } from './types.ts'
