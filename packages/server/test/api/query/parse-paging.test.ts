/** Coupa paging, sorting, return_object, repeated and ignored parameters. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseInvoices, queryErrors } from './definitions.ts'

const INVOICE_SCALARS =
  'id, invoice_number, status, total, exchange_rate, exported, invoice_date, created_at, updated_at'

describe('paging: offset and limit', () => {
  it('defaults to the first 50 records from id 1, in full', () => {
    assert.deepEqual(parseInvoices({}), {
      filters: [],
      orderBy: { field: 'id', dir: 'asc' },
      offset: 0,
      limit: 50,
      returnObject: 'full',
    })
  })
  it('takes a 0-based offset and a limit from 1 to 50', () => {
    const spec = parseInvoices({ offset: '50', limit: '1' })
    assert.equal(spec.offset, 50)
    assert.equal(spec.limit, 1)
    assert.equal(parseInvoices({ offset: '0', limit: '50' }).offset, 0)
  })
  it('caps a larger limit at 50 rather than refusing it', () => {
    assert.equal(parseInvoices({ limit: '51' }).limit, 50)
    assert.equal(parseInvoices({ limit: '100000000000000000000' }).limit, 50)
  })
  it('refuses a negative or non-numeric offset', () => {
    for (const raw of ['-1', 'ten', '1.5', '']) {
      assert.deepEqual(queryErrors({ offset: raw }), [
        `invalid offset ${JSON.stringify(raw)}: expected a whole number, 0 or more`,
      ])
    }
  })
  it('refuses a limit of 0, a negative or a non-numeric limit', () => {
    for (const raw of ['0', '-5', 'all', '']) {
      assert.deepEqual(queryErrors({ limit: raw }), [
        `invalid limit ${JSON.stringify(raw)}: expected a whole number from 1 to 50 (larger values are capped at 50)`,
      ])
    }
  })
})

describe('sorting: order_by and dir', () => {
  it('orders by a scalar attribute, dashed or underscored, ascending or descending', () => {
    assert.deepEqual(parseInvoices({ order_by: 'updated-at', dir: 'desc' }).orderBy, {
      field: 'updated_at',
      dir: 'desc',
    })
    assert.deepEqual(parseInvoices({ order_by: 'created_at' }).orderBy, { field: 'created_at', dir: 'asc' })
    assert.deepEqual(parseInvoices({ dir: 'desc' }).orderBy, { field: 'id', dir: 'desc' })
  })
  it('refuses an unknown attribute, a reference or lines, and lists the scalar attributes', () => {
    for (const raw of ['colour', 'supplier', 'invoice_lines']) {
      assert.deepEqual(queryErrors({ order_by: raw }), [
        `invalid order_by ${JSON.stringify(raw)}: expected an attribute of invoices: ${INVOICE_SCALARS}`,
      ])
    }
  })
  it('refuses a dir other than asc or desc', () => {
    assert.deepEqual(queryErrors({ dir: 'up' }), ['invalid dir "up": expected asc or desc'])
    assert.deepEqual(queryErrors({ dir: 'DESC' }), ['invalid dir "DESC": expected asc or desc'])
  })
})

describe('return_object', () => {
  it('takes limited, shallow and none; full is the default', () => {
    for (const value of ['limited', 'shallow', 'none'] as const) {
      assert.equal(parseInvoices({ return_object: value }).returnObject, value)
    }
  })
  it('refuses any other value', () => {
    assert.deepEqual(queryErrors({ return_object: 'full' }), [
      'invalid return_object "full": expected limited, shallow, none',
    ])
  })
})

describe('repeated, ignored and several bad parameters', () => {
  it('refuses a parameter given twice, and suggests in for a plain filter', () => {
    assert.deepEqual(queryErrors({ limit: ['10', '20'] }), [
      'parameter "limit" is given 2 times; give it once',
    ])
    assert.deepEqual(queryErrors({ status: ['draft', 'approved'] }), [
      'parameter "status" is given 2 times; give it once; for several values write status[in]=a,b',
    ])
  })
  it('counts dashed and underscored spellings as the same parameter', () => {
    assert.deepEqual(queryErrors({ 'updated-at[gt]': '2010-01-15', 'updated_at[gt]': '2010-01-16' }), [
      'parameter "updated_at[gt]" is given 2 times; give it once',
    ])
  })
  it('takes a one-element array as one value', () => {
    assert.equal(parseInvoices({ limit: ['10'] }).limit, 10)
  })
  it('skips the parameters the caller owns', () => {
    const spec = parseInvoices(
      { exported: 'true', format: 'xml', status: 'draft' },
      { ignore: ['exported', 'format'] },
    )
    assert.deepEqual(
      spec.filters.map((filter) => filter.path),
      [['status']],
    )
  })
  it('reports every bad parameter at once, in the order given', () => {
    assert.deepEqual(queryErrors({ limit: '0', dir: 'up', 'id[gt]': 'x' }), [
      'invalid limit "0": expected a whole number from 1 to 50 (larger values are capped at 50)',
      'invalid dir "up": expected asc or desc',
      'invalid value "x" for "id[gt]": expected an integer such as 42',
    ])
  })
})
