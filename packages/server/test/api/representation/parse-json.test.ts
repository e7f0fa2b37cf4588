/** Reading POST and PUT bodies in JSON: typed per definition, problems all named; content types. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseRequestBody } from '../../../src/api/representation/index.ts'
import { invoices, resolve, suppliers } from './definitions.ts'
import { bodyErrors, PARSED_INVOICE, parseJson } from './helpers.ts'

describe('parseRequestBody: JSON', () => {
  it('reads dashed or underscored keys and types every value', () => {
    const body =
      '{"invoice-number":"INV-1","tax_amount":"+0567.070","paid":true,"invoice-date":"2010-03-25T18:38:00-07:00",' +
      '"supplier":{"id":17},"invoice-lines":[{"line_num":1,"price":10.0,"quantity":2.5,"account":{"code":"SF"}}]}'
    assert.deepEqual(parseJson(body), PARSED_INVOICE)
  })

  it('accepts a body wrapped in the singular or the XML root', () => {
    assert.deepEqual(parseJson('{"invoice":{"invoice-number":"7"}}'), { invoice_number: '7' })
    assert.deepEqual(parseJson('{"invoice-header":{"invoice-number":"7"}}'), { invoice_number: '7' })
  })

  it('reads a reference by natural key, and Rails-style strings for numbers and booleans', () => {
    const body = '{"supplier":{"name":"Insight"},"paid":"false","invoice_lines":[{"id":"4","line_num":"2"}]}'
    assert.deepEqual(parseJson(body), {
      supplier: { name: 'Insight' },
      paid: false,
      invoice_lines: [{ id: 4, line_num: 2 }],
    })
  })

  it('reads read-only fields too, typed, for the engine to accept or refuse; keeps null', () => {
    const body =
      '{"id":9,"status":"approved","created-at":"2020-01-01T00:00:00Z","tax-amount":null,"supplier":null}'
    assert.deepEqual(parseJson(body), {
      id: 9,
      status: 'approved',
      created_at: '2020-01-01T00:00:00.000Z',
      tax_amount: null,
      supplier: null,
    })
    assert.deepEqual(parseJson('{"status":"inactive"}', suppliers), { status: 'inactive' })
  })

  it('normalizes decimals and takes a date alone as midnight UTC for a datetime', () => {
    assert.deepEqual(
      parseJson('{"tax-amount":"1e3","invoice-date":"2010-03-25","net-due-date":"2024-02-29"}'),
      {
        tax_amount: '1000',
        invoice_date: '2010-03-25T00:00:00.000Z',
        net_due_date: '2024-02-29',
      },
    )
    assert.deepEqual(parseJson('{"tax-amount":-0.0}'), { tax_amount: '0' })
    assert.deepEqual(parseJson('{"tax-amount":"-.50"}'), { tax_amount: '-0.5' })
  })

  it('names every unknown field and every value of the wrong type, with the expected type', () => {
    const body =
      '{"bogus":1,"paid":"yes","tax-amount":"12,5","invoice-date":"2010-02-30T00:00:00Z","net-due-date":"2023-02-29",' +
      '"invoice-number":{},"supplier":{"login":"x"},"invoice-lines":[{"line-num":1.5,"nope":true},3],"status":1}'
    assert.deepEqual(
      bodyErrors(() => parseJson(body)),
      [
        'unknown field bogus',
        'paid must be a boolean',
        'tax-amount must be a decimal',
        'invoice-date must be a datetime',
        'net-due-date must be a date',
        'invoice-number must be a string',
        'unknown field supplier.login',
        'invoice-lines[0].line-num must be an integer',
        'unknown field invoice-lines[0].nope',
        'invoice-lines[1] must be an object',
        'status must be one of draft, approved, voided',
      ],
    )
  })

  it('refuses a reference that names nothing, values outside the allowed ones, fields given twice', () => {
    assert.deepEqual(
      bodyErrors(() => parseJson('{"supplier":{}}')),
      ['supplier must give id or name or number'],
    )
    assert.deepEqual(
      bodyErrors(() => parseJson('{"supplier":17}')),
      ['supplier must be an object such as {"id":17}'],
    )
    assert.deepEqual(
      bodyErrors(() => parseJson('{"status":"gone"}', suppliers)),
      ['status must be one of active, inactive'],
    )
    assert.deepEqual(
      bodyErrors(() => parseJson('{"paid":true,"paid":false,"invoice_number":"1","invoice-number":"2"}')),
      ['invoice-number is given twice'],
    )
  })

  it('refuses bodies that are not a JSON object, too long or too deep', () => {
    assert.deepEqual(
      bodyErrors(() => parseJson('[1]')),
      ['the body must be an object'],
    )
    assert.deepEqual(
      bodyErrors(() => parseJson('{"a":')),
      ['the body is not valid JSON'],
    )
    assert.deepEqual(
      bodyErrors(() => parseJson('  ')),
      ['the body is empty'],
    )
    assert.deepEqual(
      bodyErrors(() => parseJson(`{"bogus":${'['.repeat(33)}${']'.repeat(33)}}`)),
      ['the JSON body nests deeper than 32 levels'],
    )
    const long = () =>
      parseRequestBody(invoices, 'application/json', '{"invoice-number":"12345"}', resolve, { maxLength: 10 })
    assert.deepEqual(bodyErrors(long), ['the body is longer than 10 characters'])
  })

  it('does not let __proto__ reach the prototype', () => {
    assert.deepEqual(
      bodyErrors(() => parseJson('{"__proto__":{"paid":true}}')),
      ['unknown field __proto__'],
    )
    assert.equal(({} as { paid?: boolean }).paid, undefined)
  })
})

describe('parseRequestBody: content types', () => {
  it('accepts JSON and XML media types with parameters and structured suffixes', () => {
    for (const type of [
      'application/json; charset=utf-8',
      'application/vnd.coupa+json',
      'APPLICATION/JSON',
    ]) {
      assert.deepEqual(parseRequestBody(invoices, type, '{"paid":true}', resolve), { paid: true })
    }
    for (const type of ['application/xml', 'text/xml; charset=UTF-8', 'application/atom+xml']) {
      assert.deepEqual(
        parseRequestBody(invoices, type, '<invoice-header><paid>true</paid></invoice-header>', resolve),
        {
          paid: true,
        },
      )
    }
  })

  it('refuses any other content type with a BodyError', () => {
    const run = (type: string | undefined) => () => parseRequestBody(invoices, type, '{}', resolve)
    assert.deepEqual(bodyErrors(run('text/plain')), [
      'unsupported content type text/plain: send application/json or application/xml',
    ])
    assert.deepEqual(bodyErrors(run(undefined)), [
      'unsupported content type (none): send application/json or application/xml',
    ])
  })
})
