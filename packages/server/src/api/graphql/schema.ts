/**
 * The GraphQL schema, generated from the catalogue: one object type per resource (`User`,
 * `PurchaseOrder`) with its fields camel-cased; a reference is the referenced object, a list of
 * references a list of them, lines a list of line objects (`InvoiceLine`). The query root has, per
 * resource, the collection (`users(query: "id[lt_or_eq]=5")`) and the single object
 * (`user(id: 1)`), as Coupa's Introducing GraphQL page shows them (coupa-api-facts §4.3). No
 * mutation type: "Mutations are not supported".
 */
import {
  GraphQLBoolean,
  GraphQLError,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql'
import type { FieldDefinition, ResourceDefinition, ScalarType } from '../../catalogue/index.ts'
import type { ResolveResource } from '../representation/index.ts'
import type { GraphqlReads } from './context.ts'
import { camel, pascal, singularOf, typeNameOf } from './names.ts'
import { parseGraphqlQuery } from './query-argument.ts'

/** What every resolver gets: the request's reads. */
export interface GraphqlContext {
  reads: GraphqlReads
}

/** The schema, and the resource each object type shows (a line type: its document's resource). */
export interface CatalogueSchema {
  schema: GraphQLSchema
  resourceOfType: ReadonlyMap<string, ResourceDefinition>
  /** Root fields that read a collection (`users`), by name, with their resource. */
  collections: ReadonlyMap<string, ResourceDefinition>
}

/** Decimals stay strings, exact, as Coupa's JSON writes amounts (`"total":"567.07"`); times are ISO 8601. */
const SCALARS: Readonly<Record<ScalarType, GraphQLScalarType>> = {
  integer: GraphQLInt,
  string: GraphQLString,
  decimal: GraphQLString,
  float: GraphQLFloat,
  boolean: GraphQLBoolean,
  datetime: GraphQLString,
  date: GraphQLString,
}

type Source = Readonly<Record<string, unknown>>
type Field = GraphQLFieldConfig<Source, GraphqlContext>

/** Builds the schema of `resources`; references are looked up with `resolve`. */
export function buildCatalogueSchema(
  resources: readonly ResourceDefinition[],
  resolve: ResolveResource,
): CatalogueSchema {
  const types = new Map<string, GraphQLObjectType>()
  const resourceOfType = new Map<string, ResourceDefinition>()

  function claim(name: string, def: ResourceDefinition): string {
    if (resourceOfType.has(name)) throw new Error(`two GraphQL types would be named ${name}`)
    resourceOfType.set(name, def)
    return name
  }

  /**
   * `InvoiceLine`; a kind of line several resources share (`account-allocation`) is named after
   * each owner past the first (`PurchaseOrderAccountAllocation`), as its read scope is the owner's.
   */
  function lineTypeName(element: string, owner: ResourceDefinition): string {
    const plain = pascal(element)
    if (!resourceOfType.has(plain)) return plain
    const owned = `${typeNameOf(owner.name)}${plain}`
    for (let n = 2; ; n++) {
      const name = n === 2 ? owned : `${owned}${n}`
      if (!resourceOfType.has(name)) return name
    }
  }

  function typeOf(resourceName: string): GraphQLObjectType {
    const known = types.get(resourceName)
    if (known) return known
    const def = resolve(resourceName)
    if (!def) throw new Error(`a reference points to ${resourceName}, which is not declared`)
    const type = new GraphQLObjectType<Source, GraphqlContext>({
      name: claim(typeNameOf(def.name), def),
      description: `${def.name} (/api/${def.name}); read with ${def.scopes.read}`,
      fields: () => ({ ...inverseFieldsOf(def), ...fieldsOf(def.fields, def) }),
    })
    types.set(resourceName, type)
    return type
  }

  function fieldsOf(
    fields: readonly FieldDefinition[],
    owner: ResourceDefinition,
  ): GraphQLFieldConfigMap<Source, GraphqlContext> {
    return Object.fromEntries(fields.map((field) => [camel(field.name), fieldOf(field, owner)]))
  }

  /**
   * The other side of each list of references to `def`: `User.userGroups` (the groups whose
   * `users` list the user, as baton-coupa reads them, §5), `Role.users` (the users with the role).
   */
  function inverseFieldsOf(def: ResourceDefinition): GraphQLFieldConfigMap<Source, GraphqlContext> {
    const inverse: GraphQLFieldConfigMap<Source, GraphqlContext> = {}
    for (const holder of resources) {
      for (const field of holder.fields) {
        if (field.kind !== 'references' || field.resource !== def.name) continue
        inverse[camel(holder.name)] = inverseField(holder, field.name, typeOf(holder.name), resolve)
      }
    }
    return inverse
  }

  function fieldOf(field: FieldDefinition, owner: ResourceDefinition): Field {
    const name = field.name
    if (field.kind === 'scalar') return { type: SCALARS[field.type], resolve: (source) => source[name] }
    if (field.kind === 'lines') {
      const line = new GraphQLObjectType<Source, GraphqlContext>({
        name: claim(lineTypeName(field.element, owner), owner),
        fields: () => fieldsOf(field.fields, owner),
      })
      return { type: listOf(line), resolve: (source) => (Array.isArray(source[name]) ? source[name] : []) }
    }
    const target = resolve(field.resource)
    if (!target) throw new Error(`${owner.name}.${name} points to ${field.resource}, which is not declared`)
    if (field.kind === 'references') {
      return {
        type: listOf(typeOf(field.resource)),
        resolve: async (source, _args, context) => {
          const ids = Array.isArray(source[name]) ? (source[name] as Source[]).map((entry) => entry.id) : []
          const records = await Promise.all(ids.map((id) => context.reads.load(target, Number(id))))
          return records.filter((record) => record !== undefined)
        },
      }
    }
    return {
      type: typeOf(field.resource),
      resolve: (source, _args, context) => {
        const id = (source[name] as Source | null | undefined)?.id
        return typeof id === 'number' ? context.reads.load(target, id) : null
      },
    }
  }

  const collections = new Map<string, ResourceDefinition>()
  const root: GraphQLFieldConfigMap<unknown, GraphqlContext> = {}
  for (const def of resources) {
    collections.set(camel(def.name), def)
    root[camel(def.name)] = collectionField(def, typeOf(def.name), resolve)
    root[camel(singularOf(def.name))] = singleField(def, typeOf(def.name))
  }
  const query = new GraphQLObjectType({ name: 'Query', fields: root })
  return { schema: new GraphQLSchema({ query }), resourceOfType, collections }
}

function listOf(type: GraphQLObjectType): GraphQLOutputType {
  return new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)))
}

/** `users(query: "id[lt_or_eq]=5&limit=10")`: the REST index's query string, at most 50 records. */
function collectionField(
  def: ResourceDefinition,
  type: GraphQLObjectType,
  resolve: ResolveResource,
): GraphQLFieldConfig<unknown, GraphqlContext, { query?: string | null }> {
  return {
    type: new GraphQLList(new GraphQLNonNull(type)),
    description: `Up to 50 ${def.name}, selected as GET /api/${def.name}?<query> selects them`,
    args: {
      query: {
        type: GraphQLString,
        description: 'Filters, paging and order in the REST query syntax: "id[lt_or_eq]=5&offset=50"',
      },
    },
    resolve: (_root, args, context) => context.reads.list(def, parseGraphqlQuery(def, args.query, resolve)),
  }
}

/** `User.userGroups(query: …)`: the `holder` records whose list `listName` names the source record. */
function inverseField(
  holder: ResourceDefinition,
  listName: string,
  type: GraphQLObjectType,
  resolve: ResolveResource,
): GraphQLFieldConfig<Source, GraphqlContext, { query?: string | null }> {
  return {
    type: listOf(type),
    description: `The ${holder.name} whose ${listName} include this record (up to 50; query as for ${holder.name})`,
    args: {
      query: { type: GraphQLString, description: 'Filters, paging and order in the REST query syntax' },
    },
    resolve: (source, args, context) => {
      const query = `${listName}[id]=${Number(source.id)}&${args.query ?? ''}`
      return context.reads.list(holder, parseGraphqlQuery(holder, query, resolve))
    },
  }
}

const ID = /^[1-9][0-9]{0,14}$/

/** `user(id: 1)`: one record, or null with an error when there is none. */
function singleField(
  def: ResourceDefinition,
  type: GraphQLObjectType,
): GraphQLFieldConfig<unknown, GraphqlContext, { id: string }> {
  return {
    type,
    description: `One of the ${def.name} by id, as GET /api/${def.name}/:id`,
    args: { id: { type: new GraphQLNonNull(GraphQLID) } },
    resolve: async (_root, args, context) => {
      const id = String(args.id)
      const record = ID.test(id) ? await context.reads.load(def, Number(id)) : undefined
      if (record) return record
      throw new GraphQLError(
        `No ${singularOf(def.name).replaceAll('_', ' ')} with id ${JSON.stringify(id.slice(0, 40))}`,
      )
    },
  }
}
