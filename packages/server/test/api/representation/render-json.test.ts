/** The JSON representation: Coupa's dashed keys, decimals as strings, bare objects and arrays. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ProjectionError,
  type ResourceRecord,
  renderList,
  renderRecord,
  type View,
} from '../../../src/api/representation/index.ts'
import { invoices, resolve, sampleInvoice, suppliers } from './definitions.ts'

function json(view: View, record: ResourceRecord = sampleInvoice): string {
  return renderRecord(invoices, record, view, 'json', resolve).body
}

const FULL_LINE =
  '{"id":1,"line-num":1,"description":"Laptop","price":"425.99","quantity":1,"account":{"code":"SF-IT-Assets","segment-1":"SF"}}'
const HEAD =
  '{"id":1,"invoice-number":"500","invoice-date":"2008-10-28T07:00:00+00:00","net-due-date":"2008-11-27"'
const MIDDLE =
  ',"status":"approved","tax-amount":"35.14","paid":false,"supplier":{"id":17,"name":"Insight","number":null}'
const TAIL = ',"created-at":"2008-10-28T10:00:00+00:00"}'

describe('JSON representation (coupa-api-facts §4.1, api-return-formats)', () => {
  it('renders a full record with dashed keys, decimals as strings, references and lines nested', () => {
    const rendered = renderRecord(invoices, sampleInvoice, { returnObject: 'full' }, 'json', resolve)
    assert.equal(rendered.contentType, 'application/json; charset=utf-8')
    assert.equal(rendered.body, `${HEAD}${MIDDLE},"invoice-lines":[${FULL_LINE}]${TAIL}`)
  })

  it('renders null and missing values as null, and a float as a number', () => {
    const record = { id: 2, invoice_number: null, supplier: null, invoice_lines: null, tax_amount: '-0.5' }
    assert.equal(
      json({ returnObject: 'full' }, record),
      '{"id":2,"invoice-number":null,"invoice-date":null,"net-due-date":null,"status":null,"tax-amount":"-0.5",' +
        '"paid":null,"supplier":null,"invoice-lines":null,"created-at":null}',
    )
  })

  it('return_object=shallow keeps scalars, the id and natural keys of references, the ids of lines', () => {
    assert.equal(json({ returnObject: 'shallow' }), `${HEAD}${MIDDLE},"invoice-lines":[{"id":1}]${TAIL}`)
  })

  it('return_object=shallow drops the non-key fields of a reference', () => {
    const supplier = { id: 17, name: 'Insight', status: 'active', payment_term: { id: 3, code: 'Net 30' } }
    const body = renderRecord(suppliers, supplier, { returnObject: 'shallow' }, 'json', resolve).body
    assert.equal(
      body,
      '{"id":17,"name":"Insight","number":null,"status":"active","on-hold":null,' +
        '"payment-term":{"id":3,"code":"Net 30"},"created-at":null}',
    )
  })

  it('return_object=limited shows the id only', () => {
    assert.equal(json({ returnObject: 'limited' }), '{"id":1}')
  })

  it('return_object=none renders an empty body', () => {
    assert.deepEqual(renderRecord(invoices, sampleInvoice, { returnObject: 'none' }, 'json', resolve), {
      contentType: 'application/json; charset=utf-8',
      body: '',
    })
  })

  it('fields shows exactly the listed fields, nested, dashed or underscored, in definition order', () => {
    const view: View = {
      returnObject: 'full',
      fields: [
        { invoice_lines: ['line-num', 'id', { account: ['code'] }] },
        'invoice_number',
        'id',
        { supplier: ['name'] },
      ],
    }
    assert.equal(
      json(view),
      '{"id":1,"invoice-number":"500","supplier":{"name":"Insight"},"invoice-lines":[{"id":1,"line-num":1,"account":{"code":"SF-IT-Assets"}}]}',
    )
  })

  it('fields naming a reference or lines without a projection shows them in full', () => {
    assert.equal(
      json({ returnObject: 'limited', fields: ['supplier', 'invoice_lines'] }),
      `{"supplier":{"id":17,"name":"Insight","number":null},"invoice-lines":[${FULL_LINE}]}`,
    )
  })

  it('fields naming unknown fields throws a ProjectionError naming them', () => {
    assert.throws(
      () => json({ returnObject: 'full', fields: ['id', 'nope', { invoice_lines: ['bogus'] }] }),
      (error: unknown) => {
        assert.ok(error instanceof ProjectionError)
        assert.deepEqual(error.messages, ['fields: unknown field nope'])
        return true
      },
    )
    assert.throws(() => json({ returnObject: 'full', fields: [{ invoice_lines: ['bogus'] }] }), {
      name: 'ProjectionError',
      message: 'fields: unknown field invoice_lines.bogus',
    })
    assert.throws(() => json({ returnObject: 'full', fields: [{ paid: ['x'] }] }), {
      message: 'fields: paid has no fields to select',
    })
  })

  it('renders a list as a bare array, and an empty list as []', () => {
    const records = [{ id: 1 }, { id: 2 }]
    const rendered = renderList(invoices, records, { returnObject: 'limited' }, 'json', resolve)
    assert.deepEqual(rendered, {
      contentType: 'application/json; charset=utf-8',
      body: '[{"id":1},{"id":2}]',
    })
    assert.equal(renderList(invoices, [], { returnObject: 'full' }, 'json', resolve).body, '[]')
  })

  it('escapes strings as JSON does, control characters included', () => {
    const body = json(
      { returnObject: 'full', fields: ['invoice_number'] },
      { invoice_number: 'a"b\\c\u0001</x>' },
    )
    assert.equal(body, '{"invoice-number":"a\\"b\\\\c\\u0001</x>"}')
  })

  it('refuses a record whose scalar holds an object: that is an engine bug', () => {
    assert.throws(() => json({ returnObject: 'limited' }, { id: { nested: true } }), TypeError)
  })
})
