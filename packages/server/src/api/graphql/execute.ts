/**
 * One GraphQL request, in named steps: read the body, parse (bounded), refuse mutations, validate
 * against the schema, check the limits, check the read scope of every object type the query
 * touches, then run it. Knows nothing of HTTP: a refusal is a thrown GraphqlRequestError, the
 * answer a value the route sends.
 */
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  getNamedType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql'
import type { ResourceDefinition } from '../../catalogue/index.ts'
import { QueryError } from '../query/index.ts'
import type { GraphqlReads } from './context.ts'
import { GraphqlRequestError } from './errors.ts'
import { checkLimits, type GraphqlLimits } from './limits.ts'
import { typeNameOf } from './names.ts'
import { type GraphqlParameters, readGraphqlBody } from './request.ts'
import type { CatalogueSchema } from './schema.ts'

/** A resource the query reads, and how the usage ledger counts it. */
export interface GraphqlRead {
  resource: string
  /** `index` for a collection at the root, `show` for anything else (one object, a nested association). */
  action: 'index' | 'show'
  scope: string
}

/** A request that passed every check, ready to run. */
export interface PreparedQuery {
  document: DocumentNode
  parameters: GraphqlParameters
  reads: GraphqlRead[]
}

/** Parses and checks a request body for a token with `scopes`; throws GraphqlRequestError. */
export function prepareQuery(
  body: unknown,
  scopes: ReadonlySet<string>,
  schema: CatalogueSchema,
  limits: GraphqlLimits,
): PreparedQuery {
  const parameters = readGraphqlBody(body)
  const document = parseDocument(parameters.query, limits)
  refuseMutations(document)
  const invalid = validate(schema.schema, document)
  if (invalid.length > 0)
    throw new GraphqlRequestError(
      400,
      invalid.map((error) => error.message),
    )
  checkLimits(document, limits)
  const reads = readsOf(document, schema)
  requireScopes(reads, scopes)
  return { document, parameters, reads }
}

/**
 * Runs a prepared query; errors a resolver did not mean to show become a generic message. The
 * status is 200 once the query ran, errors or not ("Always check the response body for errors,
 * even if the response code of 200 was returned", coupa-api-facts §4.3), and 400 when it could not
 * start (variables of the wrong type, an operationName the document lacks): there is no `data`.
 */
export async function runQuery(
  prepared: PreparedQuery,
  schema: CatalogueSchema,
  reads: GraphqlReads,
): Promise<{ status: 200 | 400; result: ExecutionResult; failures: unknown[] }> {
  const { document, parameters } = prepared
  const result = await execute({
    schema: schema.schema,
    document,
    variableValues: parameters.variables,
    operationName: parameters.operationName,
    contextValue: { reads },
  })
  const failures: unknown[] = []
  const errors = result.errors?.map((error) => shown(error, failures))
  const status = result.data === undefined ? 400 : 200
  return { status, result: errors ? { ...result, errors } : result, failures }
}

function parseDocument(query: string, limits: GraphqlLimits): DocumentNode {
  try {
    return parse(query, { maxTokens: limits.maxTokens, noLocation: false })
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : 'the query is not valid GraphQL'
    throw new GraphqlRequestError(400, [message])
  }
}

/** https://compass.coupa.com (Introducing GraphQL): "Mutations are not supported and should not be used." */
function refuseMutations(document: DocumentNode): void {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation === 'query') continue
    throw new GraphqlRequestError(400, [
      `Mutations are not supported: GraphQL answers queries only (this is a ${definition.operation}); create and update records with the REST API, /api/<resource>`,
    ])
  }
}

/** Every resource the document reads: the root fields and every object type selected inside them. */
function readsOf(document: DocumentNode, schema: CatalogueSchema): GraphqlRead[] {
  const found = new Map<string, GraphqlRead>()
  const typeInfo = new TypeInfo(schema.schema)
  const add = (def: ResourceDefinition, action: GraphqlRead['action']) => {
    if (found.get(def.name)?.action === 'index') return
    found.set(def.name, { resource: def.name, action, scope: def.scopes.read })
  }
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef()
        if (!field) return
        const def = schema.resourceOfType.get(getNamedType(field.type).name)
        if (!def) return
        const atRoot = typeInfo.getParentType() === schema.schema.getQueryType()
        add(def, atRoot && schema.collections.has(field.name) ? 'index' : 'show')
      },
    }),
  )
  return [...found.values()]
}

/** RFC 6750 §3.1 insufficient_scope: every object type read needs its resource's read scope. */
function requireScopes(reads: readonly GraphqlRead[], scopes: ReadonlySet<string>): void {
  const missing = reads.filter((read) => !scopes.has(read.scope))
  if (missing.length === 0) return
  throw new GraphqlRequestError(
    403,
    missing.map(
      (read) =>
        `Forbidden: reading ${typeNameOf(read.resource)} (${read.resource}) needs the scope ${read.scope}, which this token does not have`,
    ),
    [...new Set(missing.map((read) => read.scope))],
  )
}

/** The error as the client sees it: a query error's messages, or a generic one for a failure. */
function shown(error: GraphQLError, failures: unknown[]): GraphQLError {
  const original = error.originalError
  if (original === undefined || original instanceof GraphQLError) return error
  if (original instanceof QueryError) {
    return new GraphQLError(original.messages.join('; '), { nodes: error.nodes, path: error.path })
  }
  failures.push(original)
  return new GraphQLError('Internal server error', { nodes: error.nodes, path: error.path })
}
