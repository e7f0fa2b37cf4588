/** Filter values, attribute names and nested filters through references, with their errors. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DATETIME_EXPECTED,
  INVOICE_FILTERABLE,
  OTHER_PARAMETERS,
  onlyFilter,
  parseInvoices,
  queryErrors,
  SUPPLIER_FILTERABLE,
} from './definitions.ts'

describe('values', () => {
  it('exported=false is an eq filter on the boolean exported', () => {
    assert.deepEqual(onlyFilter({ exported: 'false' }), {
      path: ['exported'],
      type: 'boolean',
      op: 'eq',
      value: false,
    })
    assert.deepEqual(queryErrors({ exported: 'no' }), [
      'invalid value "no" for "exported": expected true or false',
    ])
  })
  it('reads datetimes with offsets, Z, fractions and no seconds, as instants in UTC', () => {
    const cases: Array<[string, string]> = [
      ['2010-03-25T18:38:00-07:00', '2010-03-26T01:38:00.000Z'],
      ['2010-03-25T18:38:00+0530', '2010-03-25T13:08:00.000Z'],
      ['2010-03-25T18:38:00.123456Z', '2010-03-25T18:38:00.123Z'],
      ['2010-03-25T18:38', '2010-03-25T18:38:00.000Z'],
      // An unencoded + arrives as a space: read as the + it was.
      ['2010-03-25T18:38:00 07:00', '2010-03-25T11:38:00.000Z'],
      ['2010-03-25T18:38:00 0700', '2010-03-25T11:38:00.000Z'],
    ]
    for (const [raw, instant] of cases)
      assert.equal(onlyFilter({ 'updated_at[lt]': raw }).value, instant, raw)
  })
  it('refuses impossible datetimes, and a space anywhere but before an offset', () => {
    for (const raw of [
      '2010-13-01',
      '2010-02-30T00:00:00Z',
      '2010-03-25T24:00:00Z',
      '2010-03-25 18:38:00',
      '2010-03-25T18:38:00 -07:00',
      '2010-03-25T18:38:00 24:00',
    ]) {
      assert.deepEqual(queryErrors({ 'updated_at[lt]': raw }), [
        `invalid value ${JSON.stringify(raw)} for "updated_at[lt]": ${DATETIME_EXPECTED}`,
      ])
    }
  })
  it('refuses integers beyond the safe range and numbers with a plus sign', () => {
    assert.deepEqual(queryErrors({ id: '9007199254740993', total: '+1' }), [
      'invalid value "9007199254740993" for "id": expected an integer such as 42',
      'invalid value "+1" for "total": expected a number such as 567.07',
    ])
  })
})

describe('attribute names', () => {
  it('takes dashed and underscored names alike and keeps them underscored', () => {
    const dashed = parseInvoices({ 'invoice-number[starts_with]': 'INV', 'supplier[on-hold]': 'true' })
    const underscored = parseInvoices({ 'invoice_number[starts_with]': 'INV', 'supplier[on_hold]': 'true' })
    assert.deepEqual(dashed, underscored)
    assert.deepEqual(
      dashed.filters.map((filter) => filter.path),
      [['invoice_number'], ['supplier', 'on_hold']],
    )
  })
  it('refuses an unknown attribute and lists the filterable ones and the other parameters', () => {
    assert.deepEqual(queryErrors({ colour: 'red' }), [
      `unknown attribute "colour" for invoices; filterable attributes: ${INVOICE_FILTERABLE}; other parameters: ${OTHER_PARAMETERS}`,
    ])
    assert.deepEqual(queryErrors({ 'colour[in]': 'red' }), [
      `unknown attribute "colour" in "colour[in]" for invoices; filterable attributes: ${INVOICE_FILTERABLE}; other parameters: ${OTHER_PARAMETERS}`,
    ])
  })
  it('refuses a filter on a lines field', () => {
    assert.deepEqual(queryErrors({ 'invoice_lines[line_num]': '1' }), [
      `cannot filter on "invoice_lines" in "invoice_lines[line_num]": it is a list of lines; filterable attributes: ${INVOICE_FILTERABLE}`,
    ])
  })
  it('refuses malformed keys and brackets after the operator', () => {
    const malformed = (key: string) =>
      `malformed parameter ${JSON.stringify(key)}; write attr=value, attr[operator]=value or reference[attr][operator]=value`
    assert.deepEqual(queryErrors({ 'status[in': 'a' }), [malformed('status[in')])
    assert.deepEqual(queryErrors({ '[status]': 'a' }), [malformed('[status]')])
    assert.deepEqual(queryErrors({ 'status[in][x]': 'a' }), [
      'too many brackets in "status[in][x]"; write attr[operator]=value',
    ])
  })
})

describe('nested filters through references', () => {
  it('supplier[name]=Fishy and supplier[name][contains]=fish', () => {
    assert.deepEqual(
      parseInvoices({ 'supplier[name]': 'Fishy', 'supplier[name][contains]': 'fish' }).filters,
      [
        { path: ['supplier', 'name'], type: 'string', op: 'eq', value: 'Fishy' },
        { path: ['supplier', 'name'], type: 'string', op: 'contains', value: 'fish' },
      ],
    )
  })
  it('goes two references deep, checking the value against the last attribute', () => {
    assert.deepEqual(onlyFilter({ 'supplier[parent-supplier][created-at][gt_or_eq]': '2020-01-01' }), {
      path: ['supplier', 'parent_supplier', 'created_at'],
      type: 'datetime',
      op: 'gt_or_eq',
      value: '2020-01-01T00:00:00.000Z',
    })
    assert.deepEqual(queryErrors({ 'supplier[status][in]': 'active,gone' }), [
      'invalid value "gone" for "supplier[status][in]": expected one of active, inactive',
    ])
  })
  it('refuses a third reference', () => {
    assert.deepEqual(queryErrors({ 'supplier[parent_supplier][parent_supplier][name]': 'x' }), [
      '"supplier[parent_supplier][parent_supplier][name]" goes through more than 2 references; write reference[attr]=value or reference[reference][attr]=value',
    ])
  })
  it('refuses a reference without an attribute, and an unknown nested attribute', () => {
    assert.deepEqual(queryErrors({ supplier: '5' }), [
      `"supplier" names the reference "supplier"; filter on one of its attributes, as in supplier[attribute]=value: ${SUPPLIER_FILTERABLE}`,
    ])
    assert.deepEqual(queryErrors({ 'supplier[colour]': 'red' }), [
      `unknown attribute "colour" in "supplier[colour]" for suppliers; filterable attributes: ${SUPPLIER_FILTERABLE}`,
    ])
  })
})
