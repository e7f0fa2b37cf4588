/**
 * Filter parameters: `attr=value`, `attr[op]=value`, and through references `supplier[name]=…`,
 * `supplier[name][contains]=…`, `supplier[parent_supplier][name]=…`.
 * https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/api-operators
 */
import type { ResourceDefinition, ScalarField } from '../../catalogue/index.ts'
import { QueryError } from './errors.ts'
import { describeFilterable, findField, quote, resolveReference, underscore } from './names.ts'
import { isOperator, operatorsFor } from './operators.ts'
import { type Filter, type Operator, QUERY_PARAMETERS, type ResolveResource } from './types.ts'
import { parseFilterValue } from './values.ts'

/** A filter may go through at most this many references: `supplier[parent_supplier][name]`. */
const MAX_REFERENCES = 2
const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/
const SEGMENT = /\[([^[\]]*)\]/g

/** Where a filter key leads: the attribute's path and field, and the operator segment if any. */
interface FilterTarget {
  path: string[]
  field: ScalarField
  op: string | undefined
}

/** `supplier[name][contains]` → `['supplier', 'name', 'contains']`. */
function splitKey(key: string): string[] {
  const match = KEY.exec(key)
  if (!match?.[1]) {
    throw new QueryError([
      `malformed parameter ${quote(key)}; write attr=value, attr[operator]=value or reference[attr][operator]=value`,
    ])
  }
  return [match[1], ...segments(match[2] ?? '')]
}

function segments(brackets: string): string[] {
  return Array.from(brackets.matchAll(SEGMENT), (match) => match[1] ?? '')
}

function unknownAttribute(def: ResourceDefinition, name: string, key: string, top: boolean): QueryError {
  const where = key === name ? '' : ` in ${quote(key)}`
  const others = top ? `; other parameters: ${QUERY_PARAMETERS.join(', ')}` : ''
  return new QueryError([
    `unknown attribute ${quote(name)}${where} for ${def.name}; filterable attributes: ${describeFilterable(def)}${others}`,
  ])
}

/** Follows the names of a key through references to a scalar attribute. */
function resolveTarget(
  def: ResourceDefinition,
  names: string[],
  key: string,
  resolve: ResolveResource,
): FilterTarget {
  const path: string[] = []
  let current = def
  for (let index = 0; index < names.length; index++) {
    const name = names[index] ?? ''
    const field = findField(current.fields, name)
    if (!field) throw unknownAttribute(current, name, key, index === 0)
    path.push(field.name)
    if (field.kind === 'scalar') {
      const rest = names.slice(index + 1)
      if (rest.length > 1) throw tooManyBrackets(key)
      return { path, field, op: rest[0] }
    }
    if (field.kind === 'lines') {
      throw new QueryError([
        `cannot filter on ${quote(field.name)} in ${quote(key)}: it is a list of lines; filterable attributes: ${describeFilterable(current)}`,
      ])
    }
    if (path.length > MAX_REFERENCES) throw tooManyReferences(key)
    current = resolveReference(resolve, `${current.name}.${field.name}`, field.resource)
    if (index === names.length - 1) {
      throw new QueryError([
        `${quote(key)} names the reference ${quote(field.name)}; filter on one of its attributes, as in ${field.name}[attribute]=value: ${describeFilterable(current)}`,
      ])
    }
  }
  throw new Error('unreachable: a key has at least one name')
}

function tooManyBrackets(key: string): QueryError {
  return new QueryError([`too many brackets in ${quote(key)}; write attr[operator]=value`])
}

function tooManyReferences(key: string): QueryError {
  return new QueryError([
    `${quote(key)} goes through more than ${MAX_REFERENCES} references; write reference[attr]=value or reference[reference][attr]=value`,
  ])
}

/** The operator a bracket segment names, if it applies to the attribute's type. */
function parseOperator(segment: string | undefined, field: ScalarField, key: string): Operator {
  if (segment === undefined) return 'eq'
  const allowed = operatorsFor(field.type)
  const op = underscore(segment)
  if (!isOperator(op)) {
    throw new QueryError([
      `unknown operator ${quote(segment)} in ${quote(key)}; operators: ${allowed.join(', ')}`,
    ])
  }
  if (!allowed.includes(op)) {
    throw new QueryError([
      `operator ${quote(op)} in ${quote(key)} does not apply to ${field.type} attributes; operators: ${allowed.join(', ')}`,
    ])
  }
  return op
}

/**
 * One filter parameter of a query on `def`.
 * @throws QueryError when the key names no attribute or operator of `def`, or the value does not fit.
 */
export function parseFilter(
  def: ResourceDefinition,
  key: string,
  raw: string,
  resolve: ResolveResource,
): Filter {
  const target = resolveTarget(def, splitKey(key), key, resolve)
  const op = parseOperator(target.op, target.field, key)
  return {
    path: target.path,
    type: target.field.type,
    op,
    value: parseFilterValue(target.field, op, raw, key),
  }
}
