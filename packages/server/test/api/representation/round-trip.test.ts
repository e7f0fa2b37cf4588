/**
 * Property: any record, rendered in full as JSON or XML and read back as a request body, gives back
 * its fields unchanged (datetimes to the second, which is what the API writes); and no string, however broken, breaks the XML document.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  type FieldValue,
  type Format,
  parseRequestBody,
  type ResourceRecord,
  renderRecord,
} from '../../../src/api/representation/index.ts'
import type { FieldDefinition, ResourceDefinition } from '../../../src/catalogue/index.ts'
import { anyString, NOT_XML_CHARS, recordOf } from './arbitraries.ts'
import { invoices, resolve, suppliers } from './definitions.ts'

const FULL = { returnObject: 'full' } as const

/** What a body read back gives: every field shown, read-only ones too (the engine judges those). */
function shownPart(fields: readonly FieldDefinition[], record: ResourceRecord): ResourceRecord {
  const expected: Record<string, FieldValue> = {}
  for (const field of fields) {
    const value = record[field.name]
    if (value === undefined) continue
    expected[field.name] =
      field.kind === 'lines' && Array.isArray(value)
        ? value.map((line: ResourceRecord) => shownPart(field.fields, line))
        : value
  }
  return expected
}

function roundTrip(def: ResourceDefinition, record: ResourceRecord, format: Format): ResourceRecord {
  const rendered = renderRecord(def, record, FULL, format, resolve)
  return parseRequestBody(def, rendered.contentType, rendered.body, resolve)
}

describe('render → parse round trip (property)', () => {
  for (const def of [invoices, suppliers]) {
    for (const format of ['json', 'xml'] as const) {
      it(`gives back the fields of any ${def.singular} in ${format}`, () => {
        fc.assert(
          fc.property(recordOf(def.fields, resolve), function survivesRoundTrip(record) {
            assert.deepEqual(roundTrip(def, record, format), shownPart(def.fields, record))
          }),
          { numRuns: 300 },
        )
      })
    }
  }

  it('keeps XML well-formed whatever the strings hold, dropping only what XML 1.0 forbids', () => {
    fc.assert(
      fc.property(recordOf(invoices.fields, resolve, anyString), function survivesBrokenText(record) {
        const expected = JSON.parse(JSON.stringify(shownPart(invoices.fields, record)), (_key, value) =>
          typeof value === 'string' ? value.replace(NOT_XML_CHARS, '') : value,
        )
        assert.deepEqual(roundTrip(invoices, record, 'xml'), expected)
      }),
      { numRuns: 300 },
    )
  })
})
