/**
 * Reads the body of `POST /api/graphql`: JSON only (coupa-api-facts §4.3, "All responses are in
 * JSON only"), `{"query":"…","variables":{…},"operationName":"…"}` as the GraphQL over HTTP spec
 * has it (https://graphql.github.io/graphql-over-http/draft/#sec-Request-Parameters).
 */
import { GraphqlRequestError } from './errors.ts'

export interface GraphqlParameters {
  query: string
  variables: Record<string, unknown> | undefined
  operationName: string | undefined
}

/** @throws GraphqlRequestError (400) naming what is wrong with the body. */
export function readGraphqlBody(body: unknown): GraphqlParameters {
  if (typeof body !== 'string' || body.trim() === '') {
    throw bad(
      'send a JSON body such as {"query":"query { users { id } }"} with Content-Type: application/json',
    )
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw bad('the body is not valid JSON; send {"query":"query { users { id } }"}')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw bad('the body must be a JSON object with a "query" string; batched requests are not supported')
  }
  const { query, variables, operationName } = json as Record<string, unknown>
  if (typeof query !== 'string' || query.trim() === '') throw bad('"query" must be a non-empty string')
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw bad('"variables" must be a JSON object')
  }
  if (operationName != null && typeof operationName !== 'string')
    throw bad('"operationName" must be a string')
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: operationName ?? undefined,
  }
}

function bad(message: string): GraphqlRequestError {
  return new GraphqlRequestError(400, [message])
}
