/** `POST /api/graphql` in the core API's OpenAPI document (../openapi.ts). */

type Schema = Record<string, unknown>

const errorList: Schema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { message: { type: 'string' }, path: { type: 'array' }, locations: { type: 'array' } },
    required: ['message'],
  },
}

const errors: Schema = { type: 'object', properties: { errors: errorList }, required: ['errors'] }

function answer(description: string, schema: Schema = errors): Schema {
  return { description, content: { 'application/json': { schema } } }
}

/** The path and its one operation. */
export function graphqlPath(): [string, Schema] {
  const post = {
    operationId: 'graphql.query',
    summary: 'Run a GraphQL query',
    description:
      'Queries only ("Mutations are not supported"), JSON only, OAuth 2.0 bearer tokens of the client credentials grant only. Every object type the query reads needs its resource\'s read scope. Collections take `query:` in the REST query syntax (`users(query: "id[lt_or_eq]=5")`), at most 50 records; single objects take `id` (`user(id: 1)`). Fields nest at most 8 deep and a query selects at most 1000 fields. Always check the body for `errors`, even with 200.',
    tags: ['graphql'],
    security: [{ oauth2: [] }],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              query: { type: 'string', examples: ['{ users(query: "id[lt_or_eq]=5") { id login } }'] },
              variables: { type: ['object', 'null'] },
              operationName: { type: ['string', 'null'] },
            },
            required: ['query'],
          },
        },
      },
    },
    responses: {
      '200': answer('The query ran: `data`, and `errors` for the fields that failed', {
        type: 'object',
        properties: { data: { type: ['object', 'null'] }, errors: errorList },
      }),
      '400': answer('Malformed JSON or GraphQL, a mutation, an invalid or too large query'),
      '401': answer('No bearer token, an invalid one, or an API key (`WWW-Authenticate: Bearer`)'),
      '403': answer(
        'The token lacks the read scope of an object type the query reads (`WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`)',
      ),
    },
  }
  return ['/api/graphql', { post }]
}
