/** Helpers of the representation tests. */
import assert from 'node:assert/strict'
import { BodyError, parseRequestBody, type ResourceRecord } from '../../../src/api/representation/index.ts'
import type { ResourceDefinition } from '../../../src/catalogue/index.ts'
import { invoices, resolve } from './definitions.ts'

/** Parses a JSON body of an invoice (or `def`). */
export function parseJson(body: string, def: ResourceDefinition = invoices): ResourceRecord {
  return parseRequestBody(def, 'application/json', body, resolve)
}

/** Parses an XML body of an invoice (or `def`). */
export function parseXml(body: string, def: ResourceDefinition = invoices): ResourceRecord {
  return parseRequestBody(def, 'application/xml', body, resolve)
}

/** The messages of the BodyError `run` throws; fails when it throws nothing or something else. */
export function bodyErrors(run: () => unknown): string[] {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof BodyError, `expected a BodyError, got ${String(error)}`)
    return error.messages
  }
  assert.fail('expected a BodyError, nothing was thrown')
}

/** The invoice the JSON and XML parsing tests both write, as the parser must return it. */
export const PARSED_INVOICE = {
  invoice_number: 'INV-1',
  tax_amount: '567.07',
  paid: true,
  invoice_date: '2010-03-26T01:38:00.000Z',
  supplier: { id: 17 },
  invoice_lines: [{ line_num: 1, price: '10', quantity: 2.5, account: { code: 'SF' } }],
}
