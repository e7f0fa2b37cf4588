/** fast-check generators for the query property tests, and the renderer back to query parameters. */
import fc from 'fast-check'
import { type Filter, operatorsFor, type Projection, type QuerySpec } from '../../../src/api/query/index.ts'
import type { ResourceDefinition, ScalarField } from '../../../src/catalogue/index.ts'
import { invoices, resolve, suppliers } from './definitions.ts'

/** An attribute a filter can reach: `['supplier', 'name']` and its field. */
export interface Target {
  path: string[]
  field: ScalarField
}

/** Every attribute of `def` reachable through at most two references. */
function targetsOf(def: ResourceDefinition, prefix: string[] = []): Target[] {
  return def.fields.flatMap((field): Target[] => {
    if (field.kind === 'scalar') return [{ path: [...prefix, field.name], field }]
    const target = field.kind === 'reference' ? resolve(field.resource) : undefined
    return target && prefix.length < 2 ? targetsOf(target, [...prefix, field.name]) : []
  })
}

export const TARGETS = targetsOf(invoices)

/** One value of a field's type, as it is written in a query and as parseQuery keeps it. */
function canonicalValue(field: ScalarField, inList: boolean): fc.Arbitrary<string> {
  if (field.values) return fc.constantFrom(...field.values)
  const instant = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') })
  switch (field.type) {
    case 'integer':
      return fc.maxSafeInteger().map(String)
    case 'decimal':
      return fc.stringMatching(/^-?\d{1,20}(\.\d{1,6})?$/)
    case 'float':
      return fc.stringMatching(/^-?\d{1,6}(\.\d{1,4})?([eE][+-]?\d{1,2})?$/)
    case 'datetime':
      return instant.filter((date) => !Number.isNaN(date.getTime())).map((date) => date.toISOString())
    case 'date':
      return instant
        .filter((date) => !Number.isNaN(date.getTime()))
        .map((date) => date.toISOString().slice(0, 10))
    default:
      return inList
        ? fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !s.includes(','))
        : fc.string()
  }
}

/** A valid filter on one of the targets, with its value in canonical form. */
export const filterArb: fc.Arbitrary<Filter> = fc.constantFrom(...TARGETS).chain(({ path, field }) =>
  fc.constantFrom(...operatorsFor(field.type)).chain((op): fc.Arbitrary<Filter> => {
    const filter = (value: fc.Arbitrary<Filter['value']>) =>
      value.map((v) => ({ path, type: field.type, op, value: v }))
    if (op === 'blank' || field.type === 'boolean') return filter(fc.boolean())
    if (op === 'in' || op === 'not_in')
      return filter(fc.array(canonicalValue(field, true), { minLength: 1, maxLength: 3 }))
    const free = ['contains', 'starts_with', 'ends_with'].includes(op)
    return filter(free ? fc.string({ unit: 'grapheme' }) : canonicalValue(field, false))
  }),
)

const lineNames = ['id', 'line_num', 'description', 'price']
/** A valid `fields` projection on invoices. */
const projectionArb: fc.Arbitrary<Projection> = fc
  .tuple(
    fc.subarray(invoices.fields.map((field) => field.name)),
    fc.option(fc.subarray(lineNames), { nil: undefined }),
    fc.option(fc.subarray(suppliers.fields.map((field) => field.name)), { nil: undefined }),
  )
  .map(
    ([names, lines, supplier]): Projection => [
      ...names,
      ...(lines ? [{ invoice_lines: lines }] : []),
      ...(supplier ? [{ supplier }] : []),
    ],
  )

/** A spec parseQuery can produce for invoices. */
export const specArb: fc.Arbitrary<QuerySpec> = fc
  .record({
    filters: fc.uniqueArray(filterArb, {
      maxLength: 5,
      selector: (filter) => `${filter.path.join('.')} ${filter.op}`,
    }),
    orderBy: fc.record(
      {
        field: fc.constantFrom(
          ...TARGETS.filter((target) => target.path.length === 1).map((target) => target.field.name),
        ),
        dir: fc.constantFrom('asc' as const, 'desc' as const),
      },
      { noNullPrototype: true },
    ),
    offset: fc.nat(),
    limit: fc.integer({ min: 1, max: 50 }),
    returnObject: fc.constantFrom('full' as const, 'shallow' as const, 'limited' as const, 'none' as const),
    fields: projectionArb,
  })
  .chain((spec) =>
    fc.boolean().map((withFields): QuerySpec => {
      const { fields, ...rest } = spec
      return withFields ? { ...rest, fields } : rest
    }),
  )

function dashed(name: string, dash: boolean): string {
  return dash ? name.replaceAll('_', '-') : name
}

/** `supplier[name][contains]`, dashed or not. */
export function renderKey(path: readonly string[], op: Filter['op'], dash = false): string {
  const [head = '', ...rest] = path.map((name) => dashed(name, dash))
  const segments = op === 'eq' ? rest : [...rest, op]
  return head + segments.map((segment) => `[${segment}]`).join('')
}

/** A filter's value as written in a query. */
export function renderValue(value: Filter['value']): string {
  return Array.isArray(value) ? value.join(',') : String(value)
}

/** The query parameters that ask for `spec`; `dash` spells names with dashes. */
export function renderSpec(spec: QuerySpec, dash = false): Record<string, string> {
  const params: Record<string, string> = {
    offset: String(spec.offset),
    limit: String(spec.limit),
    order_by: dashed(spec.orderBy.field, dash),
    dir: spec.orderBy.dir,
  }
  if (spec.returnObject !== 'full') params.return_object = spec.returnObject
  if (spec.fields) params.fields = JSON.stringify(spec.fields)
  for (const filter of spec.filters)
    params[renderKey(filter.path, filter.op, dash)] = renderValue(filter.value)
  return params
}
