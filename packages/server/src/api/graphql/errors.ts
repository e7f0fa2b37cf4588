/**
 * A GraphQL request refused as a whole, before it runs: malformed JSON or GraphQL, a mutation,
 * an invalid query, a query over the limits (400), or a token without the scopes the query
 * reads (403). The route answers `{"errors":[{"message":…}]}` with this status.
 */
export class GraphqlRequestError extends Error {
  constructor(
    readonly status: 400 | 403,
    readonly messages: readonly string[],
    /** The scopes missing (403): the RFC 6750 challenge names them. */
    readonly scopes: readonly string[] = [],
  ) {
    super(messages.join('; '))
    this.name = 'GraphqlRequestError'
  }
}
