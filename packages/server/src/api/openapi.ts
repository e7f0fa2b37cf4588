/**
 * The OpenAPI 3.1 description of the core API (`GET /api/openapi.json`), generated from the
 * catalogue, the one declaration the routes, the query language and the representation are driven
 * by: every path and action, the query parameters and operators, a JSON schema per resource, and
 * the scope each operation needs as a `security` requirement of the OAuth 2.0 client credentials
 * flow (or a legacy API key). Nothing here is written by hand per resource, so it cannot drift.
 */
import {
  type CustomAction,
  type FieldDefinition,
  permissionTable,
  type ResourceDefinition,
  type ScalarType,
  scopeCatalogue,
} from '../catalogue/index.ts'
import { graphqlPath } from './graphql/openapi.ts'
import { nestedPaths, nestedSchemas } from './openapi-nested.ts'
import { MAX_LIMIT, operatorsFor } from './query/index.ts'
import { dasherize, isWritable } from './representation/index.ts'

type Schema = Record<string, unknown>

const SCALAR_SCHEMAS: Record<ScalarType, Schema> = {
  integer: { type: 'integer' },
  string: { type: 'string' },
  // Amounts travel as strings in JSON, so that they stay exact: "567.07".
  decimal: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', examples: ['567.07'] },
  float: { type: 'number' },
  boolean: { type: 'boolean' },
  datetime: { type: 'string', format: 'date-time' },
  date: { type: 'string', format: 'date' },
}

/** The document, for an instance whose public URL is `issuer`. */
export function coreApiDocument(issuer: string, resources: readonly ResourceDefinition[]): Schema {
  const byName = new Map(resources.map((def) => [def.name, def]))
  return {
    openapi: '3.1.0',
    info: {
      title: 'Keyshift core API',
      version: '1',
      description:
        "Coupa's core API as a Keyshift instance serves it: `/api/<resource>`, JSON or XML by `Accept` (XML when absent), dashed field names, Coupa's query language and errors. A scope grants actions, not HTTP verbs.",
    },
    servers: [{ url: issuer }],
    security: [],
    paths: Object.fromEntries([
      ...resources.flatMap((def) => resourcePaths(def)),
      ...supplierAddressPaths(byName.get('remit_to_addresses')),
      ...nestedPaths(resources),
      graphqlPath(),
    ]),
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description:
            'An access token from the token endpoint (client credentials), sent as `Authorization: Bearer …`.',
          flows: {
            clientCredentials: {
              tokenUrl: `${issuer}/oauth2/token`,
              scopes: Object.fromEntries(
                scopeCatalogue.filter((s) => s.service !== 'oidc').map((s) => [s.name, s.description]),
              ),
            },
          },
        },
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-COUPA-API-KEY',
          description:
            "A legacy API key (40 characters), until it is revoked: limited by the key's permissions.",
        },
      },
      schemas: {
        ...Object.fromEntries(resources.map((def) => [schemaName(def), recordSchema(def, byName)])),
        ...nestedSchemas(),
        Errors: {
          type: 'object',
          description: "Coupa's error body: messages by the singular of the resource (`invoice-header`).",
          properties: {
            errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          },
          required: ['errors'],
        },
      },
    },
  }
}

function resourcePaths(def: ResourceDefinition): Array<[string, Schema]> {
  const base = `/api/${def.name}`
  const ref = { $ref: `#/components/schemas/${schemaName(def)}` }
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
  const collection = {
    get: operation(def, 'index', `List ${def.name}`, {
      parameters: [...pagingParameters(def), ...filterParameters(def)],
      responses: answers(
        { type: 'array', items: ref },
        'An empty JSON search is `[]`; an empty XML search is 404.',
      ),
    }),
    post: operation(def, 'create', `Create a ${dasherize(def.singular)}`, {
      parameters: outputParameters(),
      requestBody: body(def),
      responses: { '201': json(ref, 'Created'), ...errorAnswers() },
    }),
  }
  const record = {
    parameters: [idParameter],
    get: operation(def, 'show', `Show a ${dasherize(def.singular)}`, {
      parameters: outputParameters(),
      responses: answers(ref),
    }),
    put: operation(
      def,
      'update',
      `Update a ${dasherize(def.singular)} (or mark it exported: ?exported=true)`,
      {
        parameters: [...outputParameters(), { name: 'exported', in: 'query', schema: { type: 'boolean' } }],
        requestBody: { ...body(def), required: false },
        responses: answers(ref),
      },
    ),
  }
  const actions = (def.actions ?? []).map((action): [string, Schema] => [
    `${base}/{id}/${action.name}`,
    { parameters: [idParameter], put: actionOperation(def, action, ref) },
  ])
  return [[base, collection], [`${base}/{id}`, record], ...actions]
}

/** `/api/suppliers/{id}/addresses` (supplier-addresses/routes.ts): a supplier's remit-to addresses. */
function supplierAddressPaths(def: ResourceDefinition | undefined): Array<[string, Schema]> {
  if (!def) return []
  const base = '/api/suppliers/{id}/addresses'
  const ref = { $ref: `#/components/schemas/${schemaName(def)}` }
  const supplierId = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
  const addressId = { name: 'addressId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
  // Granted as the remit_to_addresses actions are; named apart, as operation ids are unique.
  const nested = (action: string, summary: string, rest: Schema): Schema => ({
    ...operation(def, action, summary, rest),
    operationId: `suppliers.addresses.${action}`,
  })
  return [
    [
      base,
      {
        parameters: [supplierId],
        get: nested('index', "List a supplier's remit-to addresses", {
          parameters: [...pagingParameters(def), ...filterParameters(def)],
          responses: answers({ type: 'array', items: ref }),
        }),
        post: nested('create', 'Create a remit-to address of the supplier', {
          parameters: outputParameters(),
          requestBody: body(def),
          responses: { '201': json(ref, 'Created'), ...errorAnswers() },
        }),
      },
    ],
    [
      `${base}/{addressId}`,
      {
        parameters: [supplierId, addressId],
        get: nested('show', "Show one of the supplier's remit-to addresses", {
          parameters: outputParameters(),
          responses: answers(ref),
        }),
        put: nested('update', "Update one of the supplier's remit-to addresses", {
          parameters: outputParameters(),
          requestBody: { ...body(def), required: false },
          responses: answers(ref),
        }),
      },
    ],
  ]
}

function actionOperation(def: ResourceDefinition, action: CustomAction, ref: Schema): Schema {
  return operation(def, action.name, `${action.name} a ${dasherize(def.singular)}`, {
    description: `From ${action.from.join(', ')} to ${action.to}; from any other status a 400.`,
    parameters: outputParameters(),
    responses: answers(ref),
  })
}

/** An operation with its id, the scope that grants it and the API key permission it takes. */
function operation(def: ResourceDefinition, action: string, summary: string, rest: Schema): Schema {
  const scope = permissionTable.find((p) => p.resource === def.name && p.action === action)?.scope
  return {
    operationId: `${def.name}.${action}`,
    summary,
    tags: [def.name],
    // https://spec.openapis.org/oas/v3.1.0#security-requirement-object : either scheme will do.
    security: [{ oauth2: scope ? [scope] : [] }, { apiKey: [] }],
    'x-keyshift-permission': `${def.name}#${action}`,
    ...rest,
  }
}

function pagingParameters(def: ResourceDefinition): Schema[] {
  return [
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
    {
      name: 'limit',
      in: 'query',
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: MAX_LIMIT },
    },
    { name: 'order_by', in: 'query', schema: { type: 'string', enum: ['id', 'created_at', 'updated_at'] } },
    { name: 'dir', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
    ...outputParameters(),
    {
      name: 'filters',
      in: 'query',
      description: `Any attribute of ${def.name}, dashed or underscored, as \`attr=value\` or \`attr[operator]=value\`; through references as \`reference[attr][operator]=value\` (\`supplier[name][contains]=freight\`). The parameters below list each attribute with the operators of its type.`,
      style: 'form',
      explode: true,
      schema: { type: 'object', additionalProperties: { type: 'string' } },
    },
  ]
}

function outputParameters(): Schema[] {
  return [
    { name: 'return_object', in: 'query', schema: { type: 'string', enum: ['shallow', 'limited', 'none'] } },
    {
      name: 'fields',
      in: 'query',
      description: 'A JSON projection: `["id","invoice_number",{"supplier":["name"]}]`.',
      schema: { type: 'string' },
    },
  ]
}

/** Each scalar attribute as `attr` (equals) and `attr[operator]` for the operators of its type. */
function filterParameters(def: ResourceDefinition): Schema[] {
  return def.fields.flatMap((field) => {
    if (field.kind !== 'scalar') return []
    const value = { type: 'string' }
    return operatorsFor(field.type).map((op) => ({
      name: op === 'eq' ? field.name : `${field.name}[${op}]`,
      in: 'query',
      required: false,
      schema: value,
    }))
  })
}

function body(def: ResourceDefinition): Schema {
  const ref = { $ref: `#/components/schemas/${schemaName(def)}` }
  return {
    required: true,
    content: {
      'application/json': { schema: ref },
      'application/xml': { schema: { type: 'string', description: `<${def.xmlRoot}>…</${def.xmlRoot}>` } },
    },
  }
}

function answers(schema: Schema, description = 'OK'): Schema {
  return { '200': json(schema, description), ...errorAnswers() }
}

function json(schema: Schema, description: string): Schema {
  return {
    description,
    content: {
      'application/json': { schema },
      'application/xml': { schema: { type: 'string' } },
    },
  }
}

function errorAnswers(): Schema {
  const errors = { $ref: '#/components/schemas/Errors' }
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: errors }, 'application/xml': { schema: { type: 'string' } } },
  })
  return {
    '400': error('A query, a body or a state the resource refuses, naming what is wrong'),
    '401': error(
      'No credentials, or an invalid, expired or revoked token or key (`WWW-Authenticate: Bearer`)',
    ),
    '403': error(
      'The token lacks the scope (`WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`)',
    ),
    '404': error('No such record'),
    '429': error('More than 25 requests per second (burst 20): wait `Retry-After` seconds'),
  }
}

/** The JSON schema of a record: dashed names, read-only fields marked, references nested. */
function recordSchema(def: ResourceDefinition, byName: Map<string, ResourceDefinition>): Schema {
  const required = def.fields.filter((f) => 'required' in f && f.required === true)
  return objectSchema(
    def.fields,
    byName,
    required.map((f) => dasherize(f.name)),
  )
}

function objectSchema(
  fields: readonly FieldDefinition[],
  byName: Map<string, ResourceDefinition>,
  required: string[] = [],
): Schema {
  const properties = Object.fromEntries(
    fields.map((field) => [dasherize(field.name), fieldSchema(field, byName)]),
  )
  return { type: 'object', properties, ...(required.length > 0 && { required }) }
}

function fieldSchema(field: FieldDefinition, byName: Map<string, ResourceDefinition>): Schema {
  const readOnly = isWritable(field) ? {} : { readOnly: true }
  if (field.kind === 'scalar') {
    const values = field.values ? { enum: [...field.values] } : {}
    return { ...SCALAR_SCHEMAS[field.type], ...values, ...readOnly }
  }
  if (field.kind === 'lines') return { type: 'array', items: objectSchema(field.fields, byName), ...readOnly }
  const target = byName.get(field.resource)
  const shown = target?.fields.filter((f) => field.fields.includes(f.name)) ?? []
  if (field.kind === 'references') return { type: 'array', items: objectSchema(shown, byName), ...readOnly }
  return { anyOf: [objectSchema(shown, byName), { type: 'null' }], ...readOnly }
}

function schemaName(def: ResourceDefinition): string {
  return def.singular
    .split(/[-_]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}
