/**
 * Turns a view (`return_object`, `fields`) into a plan: the tree of fields to show. JSON and XML
 * both walk the same plan, so the two formats always show the same fields.
 * https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/api-return-formats
 */
import type { FieldDefinition, LinesField, ReferencesField, ScalarType } from '../../catalogue/index.ts'
import { NATURAL_KEYS, referencedFields, underscore } from './names.ts'
import type { Projection, ResolveResource, View } from './types.ts'

/** One field to show, with the plan of what to show inside a reference or a line. */
export type PlannedField =
  | { kind: 'scalar'; name: string; type: ScalarType }
  | { kind: 'reference'; name: string; fields: Plan }
  | { kind: 'lines'; name: string; element: string; fields: Plan }

/** The fields to show, in definition order. */
export type Plan = readonly PlannedField[]

/** A `fields` projection names a field that does not exist, or projects inside a scalar. */
export class ProjectionError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('; '))
    this.name = 'ProjectionError'
  }
}

/** References nest at most this deep; deeper means a cycle in the resource catalogue. */
const MAX_REFERENCE_DEPTH = 8

/**
 * The plan for a view of a resource's fields. `none` plans nothing; `limited` keeps `id`; `shallow`
 * keeps scalars, the id and natural keys of references and the ids of lines; `full` keeps all.
 * Throws ProjectionError when `view.fields` names unknown fields.
 */
export function planView(fields: readonly FieldDefinition[], view: View, resolve: ResolveResource): Plan {
  if (view.returnObject === 'none') return []
  if (view.fields) return planProjection(fields, view.fields, resolve, '')
  if (view.returnObject === 'limited') return planFull(fields.filter(isId), resolve, 0)
  if (view.returnObject === 'shallow') return planShallow(fields, resolve)
  return planFull(fields, resolve, 0)
}

function isId(field: FieldDefinition): boolean {
  return field.name === 'id'
}

function isIdOrNaturalKey(field: FieldDefinition): boolean {
  return field.kind === 'scalar' && (isId(field) || NATURAL_KEYS.has(field.name))
}

function planFull(fields: readonly FieldDefinition[], resolve: ResolveResource, depth: number): Plan {
  if (depth > MAX_REFERENCE_DEPTH) throw new Error('references nest too deep: is there a cycle?')
  return fields.map(function planFullField(field): PlannedField {
    if (field.kind === 'scalar') return { kind: 'scalar', name: field.name, type: field.type }
    if (field.kind === 'lines') {
      return { ...linesHead(field), fields: planFull(field.fields, resolve, depth + 1) }
    }
    if (field.kind === 'references') {
      return { ...linesHead(field), fields: planFull(referencedFields(field, resolve), resolve, depth + 1) }
    }
    return {
      kind: 'reference',
      name: field.name,
      fields: planFull(referencedFields(field, resolve), resolve, depth + 1),
    }
  })
}

function planShallow(fields: readonly FieldDefinition[], resolve: ResolveResource): Plan {
  return fields.map(function planShallowField(field): PlannedField {
    if (field.kind === 'scalar') return { kind: 'scalar', name: field.name, type: field.type }
    if (field.kind === 'lines') {
      return { ...linesHead(field), fields: planFull(field.fields.filter(isId), resolve, 1) }
    }
    const keys = referencedFields(field, resolve).filter(isIdOrNaturalKey)
    if (field.kind === 'references') return { ...linesHead(field), fields: planFull(keys, resolve, 1) }
    return { kind: 'reference', name: field.name, fields: planFull(keys, resolve, 1) }
  })
}

/** A list of lines or of references renders as an array of its `element`. */
function linesHead(field: LinesField | ReferencesField) {
  return { kind: 'lines' as const, name: field.name, element: field.element }
}

function planProjection(
  fields: readonly FieldDefinition[],
  projection: Projection,
  resolve: ResolveResource,
  path: string,
): Plan {
  const wanted = projectionEntries(projection)
  const known = new Set(fields.map((field) => field.name))
  const unknown = [...wanted.keys()].filter((name) => !known.has(name))
  if (unknown.length > 0) {
    throw new ProjectionError(unknown.map((name) => `fields: unknown field ${path}${name}`))
  }
  const plan: PlannedField[] = []
  for (const field of fields) {
    if (!wanted.has(field.name)) continue
    const inner = wanted.get(field.name)
    if (inner === undefined) plan.push(...planFull([field], resolve, 0))
    else plan.push(planProjectedField(field, inner, resolve, `${path}${field.name}.`))
  }
  return plan
}

function planProjectedField(
  field: FieldDefinition,
  inner: Projection,
  resolve: ResolveResource,
  path: string,
): PlannedField {
  if (field.kind === 'scalar') throw new ProjectionError([`fields: ${field.name} has no fields to select`])
  if (field.kind === 'lines')
    return { ...linesHead(field), fields: planProjection(field.fields, inner, resolve, path) }
  const fields = planProjection(referencedFields(field, resolve), inner, resolve, path)
  if (field.kind === 'references') return { ...linesHead(field), fields }
  return { kind: 'reference', name: field.name, fields }
}

/** Underscored name → nested projection, or undefined for a bare name. */
function projectionEntries(projection: Projection): Map<string, Projection | undefined> {
  const entries = new Map<string, Projection | undefined>()
  for (const item of projection) {
    if (typeof item === 'string') {
      const name = underscore(item)
      if (!entries.has(name)) entries.set(name, undefined)
      continue
    }
    for (const [name, inner] of Object.entries(item)) entries.set(underscore(name), inner)
  }
  return entries
}
