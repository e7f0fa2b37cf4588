/**
 * Bounds on what one GraphQL request may ask, checked on the parsed document before it runs, so
 * that a query costs at most a known amount: its depth (a field inside a field…) and its number
 * of fields (aliases included, fragments counted where they are spread). Introspection (`__schema`,
 * `__type`) is allowed, as Coupa's GraphiQL uses it, with a depth of its own: the schema is static.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql'
import { GraphqlRequestError } from './errors.ts'

export interface GraphqlLimits {
  /** Fields nested in fields: `users { roles { id } }` is 3 deep. */
  maxDepth: number
  /** Depth inside `__schema` and `__type` (GraphiQL's introspection query is 13 deep). */
  maxIntrospectionDepth: number
  /** Fields in the whole document, aliases included and fragments counted where spread. */
  maxFields: number
  /** Tokens of the GraphQL text: bounds the parser's work. */
  maxTokens: number
}

export const DEFAULT_GRAPHQL_LIMITS: GraphqlLimits = {
  maxDepth: 8,
  maxIntrospectionDepth: 16,
  maxFields: 1000,
  maxTokens: 20_000,
}

interface Walk {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>
  limits: GraphqlLimits
  fields: number
  /** Fragments being expanded: a cycle is counted once (validation refuses it anyway). */
  expanding: Set<string>
}

/**
 * Throws GraphqlRequestError (400) when an operation of `document` is deeper or wider than `limits`.
 */
export function checkLimits(document: DocumentNode, limits: GraphqlLimits): void {
  const fragments = new Map<string, FragmentDefinitionNode>()
  const operations: OperationDefinitionNode[] = []
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition)
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition)
  }
  const walk: Walk = { fragments, limits, fields: 0, expanding: new Set() }
  for (const operation of operations) walkSelections(operation.selectionSet, 1, false, walk)
}

function walkSelections(set: SelectionSetNode, depth: number, introspection: boolean, walk: Walk): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const inIntrospection = introspection || selection.name.value.startsWith('__')
      countField(depth, inIntrospection, walk)
      if (selection.selectionSet) walkSelections(selection.selectionSet, depth + 1, inIntrospection, walk)
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walkSelections(selection.selectionSet, depth, introspection, walk)
    } else {
      const name = selection.name.value
      const fragment = walk.fragments.get(name)
      if (!fragment || walk.expanding.has(name)) continue
      walk.expanding.add(name)
      walkSelections(fragment.selectionSet, depth, introspection, walk)
      walk.expanding.delete(name)
    }
  }
}

function countField(depth: number, introspection: boolean, walk: Walk): void {
  const { maxDepth, maxIntrospectionDepth, maxFields } = walk.limits
  const limit = introspection ? maxIntrospectionDepth : maxDepth
  if (depth > limit) {
    throw new GraphqlRequestError(400, [
      `The query is too deep: fields nest at most ${limit} levels${introspection ? ' in introspection' : ''}; split it into several queries`,
    ])
  }
  if (++walk.fields > maxFields) {
    throw new GraphqlRequestError(400, [
      `The query selects too many fields: at most ${maxFields}, aliases included and fragments counted where spread; split it into several queries`,
    ])
  }
}
