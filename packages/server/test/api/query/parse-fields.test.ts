/** Coupa `fields=[…]`: a JSON projection checked against the resource's declaration. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseInvoices, queryErrors } from './definitions.ts'

const INVOICE_FIELDS =
  'id, invoice_number, status, total, exchange_rate, exported, invoice_date, created_at, updated_at, supplier, invoice_lines'
const EXAMPLE = '["id","invoice_number",{"invoice_lines":["id","line_num"]}]'

describe('fields projection', () => {
  it('takes Coupa’s example and keeps names underscored', () => {
    const spec = parseInvoices({ fields: '["id","invoice-number",{"invoice-lines":["id","line-num"]}]' })
    assert.deepEqual(spec.fields, ['id', 'invoice_number', { invoice_lines: ['id', 'line_num'] }])
  })
  it('nests through references, to the referenced resource’s own fields and its references', () => {
    const raw = JSON.stringify([
      'id',
      { supplier: ['name', 'on_hold', { parent_supplier: ['id'] }], invoice_lines: [] },
    ])
    assert.deepEqual(parseInvoices({ fields: raw }).fields, [
      'id',
      { supplier: ['name', 'on_hold', { parent_supplier: ['id'] }], invoice_lines: [] },
    ])
  })
  it('takes a reference or lines name alone', () => {
    assert.deepEqual(parseInvoices({ fields: '["supplier","invoice_lines"]' }).fields, [
      'supplier',
      'invoice_lines',
    ])
  })
  it('leaves fields out of the spec when the request has none', () => {
    assert.equal('fields' in parseInvoices({}), false)
  })
  it('refuses text that is not a JSON array', () => {
    for (const raw of ['id,total', '{"id":1}', '"id"', '']) {
      assert.deepEqual(queryErrors({ fields: raw }), [
        `invalid fields ${JSON.stringify(raw)}: expected a JSON array such as ${EXAMPLE}`,
      ])
    }
  })
  it('lists every unknown name, at the top and nested', () => {
    const raw = JSON.stringify(['colour', { invoice_lines: ['id', 'weight'] }, { supplier: ['shoe_size'] }])
    assert.deepEqual(queryErrors({ fields: raw }), [
      `unknown field "colour" in fields for invoices; fields: ${INVOICE_FIELDS}`,
      'unknown field "weight" in fields under "invoice_lines"; fields: id, line_num, description, price',
      'unknown field "shoe_size" in fields under "supplier"; fields: id, name, number, status, on_hold, created_at, parent_supplier',
    ])
  })
  it('refuses nested fields on a scalar, nested fields that are not an array, and other entries', () => {
    assert.deepEqual(queryErrors({ fields: '[{"status":["id"]}]' }), [
      'field "status" in fields for invoices cannot have nested fields; only references and lines can: supplier, invoice_lines',
    ])
    assert.deepEqual(queryErrors({ fields: '[{"invoice_lines":"id"}]' }), [
      'nested fields of "invoice_lines" must be a JSON array, as in {"invoice_lines":["id"]}',
    ])
    assert.deepEqual(queryErrors({ fields: '[42,null]' }), [
      'invalid entry "42" in fields: expected a field name or an object such as {"invoice_lines":["id"]}',
      'invalid entry "null" in fields: expected a field name or an object such as {"invoice_lines":["id"]}',
    ])
  })
})
