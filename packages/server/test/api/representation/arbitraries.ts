/**
 * fast-check arbitraries of records, built from a definition's field types: any resource gets
 * random records without code of its own. Values are in the form the engine holds them (decimals as
 * canonical strings, datetimes ISO 8601), so that a render → parse round trip must give them back.
 */
import fc from 'fast-check'
import type { ResolveResource, ResourceRecord, ScalarValue } from '../../../src/api/representation/index.ts'
import type {
  FieldDefinition,
  ReferenceField,
  ReferencesField,
  ScalarField,
} from '../../../src/catalogue/index.ts'

/** Characters XML 1.0 cannot carry at all (https://www.w3.org/TR/xml/#charsets). */
export const NOT_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Any string, control characters and lone surrogates included, with markup characters favoured. */
export const anyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom('&', '<', '>', '"', "'", '\r', '\n', '\t', ' ', ']', '&amp;'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
})

/** Strings XML 1.0 can carry. */
export const xmlString = anyString.map((text) => text.replace(NOT_XML_CHARS, ''))

/** Canonical decimals: `0`, `-12.5`, `0.007`; no `+`, no exponent, no leading or trailing zeros. */
export const decimal = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 10n ** 18n }),
    fc.option(fc.stringMatching(/^\d{0,6}[1-9]$/), { nil: null }),
  )
  .map(function canonicalDecimal([negative, whole, fraction]) {
    const magnitude = fraction === null ? whole.toString() : `${whole}.${fraction}`
    return negative && magnitude !== '0' ? `-${magnitude}` : magnitude
  })

const dates = fc.date({
  min: new Date('1900-01-01T00:00:00Z'),
  max: new Date('2100-12-31T23:59:59Z'),
  noInvalidDate: true,
})

/**
 * Datetimes as records hold them: instants in UTC, `toISOString()` form, in whole seconds (the API
 * writes seconds, so a round trip keeps nothing finer).
 */
export const datetime = dates.map((date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString())

/** Finite floats but -0, which JSON cannot tell from 0. */
export const float = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .filter((value) => !Object.is(value, -0))

function scalarValue(field: ScalarField): fc.Arbitrary<ScalarValue> {
  if (field.values) return fc.constantFrom(...field.values)
  switch (field.type) {
    case 'integer':
      return fc.maxSafeInteger()
    case 'float':
      return float
    case 'decimal':
      return decimal
    case 'boolean':
      return fc.boolean()
    case 'datetime':
      return datetime
    case 'date':
      return dates.map((date) => date.toISOString().slice(0, 10))
    default:
      return xmlString
  }
}

/** A record of `fields`: every field present, any of them possibly null. */
export function recordOf(
  fields: readonly FieldDefinition[],
  resolve: ResolveResource,
  strings: fc.Arbitrary<string> = xmlString,
): fc.Arbitrary<ResourceRecord> {
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const field of fields)
    model[field.name] = fc.option(fieldValue(field, resolve, strings), { nil: null, freq: 6 })
  return fc.record(model) as fc.Arbitrary<ResourceRecord>
}

function fieldValue(
  field: FieldDefinition,
  resolve: ResolveResource,
  strings: fc.Arbitrary<string>,
): fc.Arbitrary<unknown> {
  if (field.kind === 'scalar') return field.type === 'string' && !field.values ? strings : scalarValue(field)
  if (field.kind === 'lines') return fc.array(recordOf(field.fields, resolve, strings), { maxLength: 3 })
  if (field.kind === 'references') return fc.array(referenceValue(field, resolve, strings), { maxLength: 3 })
  return referenceValue(field, resolve, strings)
}

/** An expanded reference; its first listed field is never null, so that it names a record. */
function referenceValue(
  field: ReferenceField | ReferencesField,
  resolve: ResolveResource,
  strings: fc.Arbitrary<string>,
) {
  const target = resolve(field.resource)
  if (!target) throw new Error(`unknown resource ${field.resource}`)
  const listed = field.fields.map((name) => target.fields.find((candidate) => candidate.name === name))
  const [first, ...rest] = listed.filter((candidate) => candidate !== undefined)
  if (!first) throw new Error(`reference ${field.name} lists no field`)
  return fc
    .tuple(fieldValue(first, resolve, strings), recordOf(rest, resolve, strings))
    .map(([value, others]) => ({ [first.name]: value, ...others }))
}
