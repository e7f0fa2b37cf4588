/** Evaluating filters on expanded records, and sorting them. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  compareRecords,
  isSimpleFilter,
  matchesFilters,
  type QueryRecord,
} from '../../../src/api/query/index.ts'
import { invoices, parseInvoices } from './definitions.ts'

const invoice: QueryRecord = {
  id: 7,
  invoice_number: 'INV-2010-007',
  status: 'approved',
  total: '567.07',
  exchange_rate: 1.25,
  exported: false,
  invoice_date: '2010-03-25',
  created_at: '2010-03-25T18:38:00-07:00',
  updated_at: null,
  supplier: { id: 3, name: 'Fishy Supplies', status: 'active', on_hold: false, parent_supplier: null },
  invoice_lines: [{ id: 1, line_num: 1, description: 'Cod', price: '567.07' }],
}

/** Whether the invoice passes the query's filters. */
function matches(params: Record<string, string>, record: QueryRecord = invoice): boolean {
  return matchesFilters(record, parseInvoices(params).filters)
}

describe('matchesFilters: each operator matches and misses', () => {
  const cases: Array<[operator: string, match: Record<string, string>, miss: Record<string, string>]> = [
    ['eq', { total: '567.070' }, { total: '567.08' }],
    ['eq on text is case-sensitive', { invoice_number: 'INV-2010-007' }, { invoice_number: 'inv-2010-007' }],
    ['not_eq', { 'status[not_eq]': 'draft' }, { 'status[not_eq]': 'approved' }],
    ['gt, decimals by value', { 'total[gt]': '99.99' }, { 'total[gt]': '567.07' }],
    [
      'gt, datetimes by instant',
      { 'created_at[gt]': '2010-03-26T01:37:59Z' },
      { 'created_at[gt]': '2010-03-26T01:38:00Z' },
    ],
    ['lt', { 'id[lt]': '10' }, { 'id[lt]': '7' }],
    [
      'gt_or_eq',
      { 'created_at[gt_or_eq]': '2010-03-26T01:38:00Z' },
      { 'created_at[gt_or_eq]': '2010-03-27' },
    ],
    ['lt_or_eq, floats', { 'exchange_rate[lt_or_eq]': '1.25' }, { 'exchange_rate[lt_or_eq]': '1.2e0' }],
    [
      'lt_or_eq, dates',
      { 'invoice_date[lt_or_eq]': '2010-03-25' },
      { 'invoice_date[lt_or_eq]': '2010-03-24' },
    ],
    [
      'contains, case-insensitive',
      { 'invoice_number[contains]': 'inv-2010' },
      { 'invoice_number[contains]': '2011' },
    ],
    ['starts_with', { 'status[starts_with]': 'APP' }, { 'status[starts_with]': 'proved' }],
    ['ends_with', { 'invoice_number[ends_with]': '007' }, { 'invoice_number[ends_with]': 'INV' }],
    ['in', { 'status[in]': 'approved,voided' }, { 'status[in]': 'draft,voided' }],
    ['not_in', { 'id[not_in]': '1,2' }, { 'id[not_in]': '6,7' }],
    ['blank=true on null', { 'updated_at[blank]': 'true' }, { 'created_at[blank]': 'true' }],
    ['blank=false', { 'created_at[blank]': 'false' }, { 'updated_at[blank]': 'false' }],
    ['eq on booleans: exported=false', { exported: 'false' }, { exported: 'true' }],
  ]
  for (const [operator, match, miss] of cases) {
    it(operator, () => {
      assert.equal(matches(match), true, `expected ${JSON.stringify(match)} to match`)
      assert.equal(matches(miss), false, `expected ${JSON.stringify(miss)} to miss`)
    })
  }
  it('all filters must hold', () => {
    assert.equal(matches({ status: 'approved', 'total[gt]': '500' }), true)
    assert.equal(matches({ status: 'approved', 'total[gt]': '600' }), false)
  })
  it('blank=true also matches the empty string', () => {
    assert.equal(matches({ 'invoice_number[blank]': 'true' }, { ...invoice, invoice_number: '' }), true)
  })
})

describe('matchesFilters: missing values', () => {
  it('a null value fails every comparison, not_eq and not_in included', () => {
    const queries: Array<Record<string, string>> = [
      { 'updated_at[not_eq]': '2010-01-01' },
      { 'updated_at[not_in]': '2010-01-01' },
    ]
    for (const params of queries) {
      assert.equal(matches(params), false)
    }
  })
  it('compares decimals exactly beyond float precision', () => {
    const record = { ...invoice, total: '12345678901234567.2' }
    assert.equal(matches({ 'total[gt]': '12345678901234567.1' }, record), true)
    assert.equal(matches({ total: '12345678901234567.20' }, record), true)
    assert.equal(
      matches({ 'total[lt]': '-12345678901234567.1' }, { ...invoice, total: '-12345678901234567.2' }),
      true,
    )
  })
})

describe('matchesFilters: nested paths', () => {
  it('follows the supplier reference', () => {
    assert.equal(matches({ 'supplier[name][contains]': 'fishy' }), true)
    assert.equal(matches({ 'supplier[name]': 'fishy supplies' }), false)
    assert.equal(matches({ 'supplier[status][in]': 'active' }), true)
  })
  it('a null reference matches only blank=true', () => {
    const orphan = { ...invoice, supplier: null }
    assert.equal(matches({ 'supplier[name][blank]': 'true' }, orphan), true)
    assert.equal(matches({ 'supplier[name][blank]': 'false' }, orphan), false)
    assert.equal(matches({ 'supplier[name][not_eq]': 'x' }, orphan), false)
    assert.equal(matches({ 'supplier[parent_supplier][name][blank]': 'true' }), true)
    assert.equal(matches({ 'supplier[parent_supplier][name][not_in]': 'x' }), false)
  })
  it('isSimpleFilter tells own attributes from paths through references', () => {
    const { filters } = parseInvoices({ status: 'draft', 'supplier[name]': 'x' })
    assert.deepEqual(filters.map(isSimpleFilter), [true, false])
  })
})

describe('compareRecords', () => {
  const records: QueryRecord[] = [
    { id: 4, total: '100.5', updated_at: '2010-03-25T18:38:00-07:00' },
    { id: 2, total: '99.99', updated_at: null },
    { id: 3, total: '100.50', updated_at: '2010-03-26T00:00:00Z' },
    { id: 1, total: null, updated_at: '2010-03-26T02:00:00+01:00' },
  ]
  const ids = (field: string, dir: 'asc' | 'desc') =>
    records.toSorted(compareRecords({ field, dir }, invoices)).map((record) => record.id)

  it('sorts decimals by value, nulls first, ties by id', () => {
    assert.deepEqual(ids('total', 'asc'), [1, 2, 3, 4])
    assert.deepEqual(ids('total', 'desc'), [3, 4, 2, 1])
  })
  it('sorts datetimes by instant whatever their offset', () => {
    assert.deepEqual(ids('updated_at', 'asc'), [2, 3, 1, 4])
    assert.deepEqual(ids('updated_at', 'desc'), [4, 1, 3, 2])
  })
  it('sorts by the runtime type without a definition', () => {
    const sorted = [{ id: 2, n: 10 }, { id: 1, n: 9 }, { id: 3 }].toSorted(
      compareRecords({ field: 'n', dir: 'asc' }),
    )
    assert.deepEqual(
      sorted.map((record) => record.id),
      [3, 1, 2],
    )
  })
})
