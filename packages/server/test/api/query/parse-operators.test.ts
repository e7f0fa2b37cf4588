/** Coupa API operators: each accepted once and refused once, with the exact messages. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DATETIME_EXPECTED, onlyFilter, queryErrors } from './definitions.ts'

const NUMBER_OPERATORS = 'eq, not_eq, gt, lt, gt_or_eq, lt_or_eq, in, not_in, blank'

describe('Coupa operators, one accepted and one refused use each', () => {
  it('eq: status=approved; a status outside its values is refused', () => {
    assert.deepEqual(onlyFilter({ status: 'approved' }), {
      path: ['status'],
      type: 'string',
      op: 'eq',
      value: 'approved',
    })
    assert.deepEqual(onlyFilter({ 'status[eq]': 'draft' }).op, 'eq')
    assert.deepEqual(queryErrors({ status: 'bogus' }), [
      'invalid value "bogus" for "status": expected one of draft, pending_approval, approved, voided',
    ])
  })
  it('not_eq: total[not_eq]=10.50 keeps the decimal as written; non-numbers are refused', () => {
    assert.deepEqual(onlyFilter({ 'total[not_eq]': '10.50' }), {
      path: ['total'],
      type: 'decimal',
      op: 'not_eq',
      value: '10.50',
    })
    assert.deepEqual(queryErrors({ 'total[not_eq]': 'ten' }), [
      'invalid value "ten" for "total[not_eq]": expected a number such as 567.07',
    ])
  })
  it('gt: updated-at[gt]=2010-01-15 is midnight UTC; an unreadable date is refused', () => {
    assert.deepEqual(onlyFilter({ 'updated-at[gt]': '2010-01-15' }), {
      path: ['updated_at'],
      type: 'datetime',
      op: 'gt',
      value: '2010-01-15T00:00:00.000Z',
    })
    assert.deepEqual(queryErrors({ 'updated_at[gt]': 'yesterday' }), [
      `invalid value "yesterday" for "updated_at[gt]": ${DATETIME_EXPECTED}`,
    ])
  })
  it('lt: id[lt]=100; a fraction is not an integer', () => {
    assert.deepEqual(onlyFilter({ 'id[lt]': '100' }).value, '100')
    assert.deepEqual(queryErrors({ 'id[lt]': '1.5' }), [
      'invalid value "1.5" for "id[lt]": expected an integer such as 42',
    ])
  })
  it('gt_or_eq: invoice_date[gt_or_eq]=2024-02-29; 2023-02-29 is no date', () => {
    assert.deepEqual(onlyFilter({ 'invoice_date[gt_or_eq]': '2024-02-29' }), {
      path: ['invoice_date'],
      type: 'date',
      op: 'gt_or_eq',
      value: '2024-02-29',
    })
    assert.deepEqual(queryErrors({ 'invoice_date[gt_or_eq]': '2023-02-29' }), [
      'invalid value "2023-02-29" for "invoice_date[gt_or_eq]": expected a date such as 2010-01-15',
    ])
  })
  it('lt_or_eq: exchange_rate[lt_or_eq]=1.5e3; booleans have no order', () => {
    assert.deepEqual(onlyFilter({ 'exchange_rate[lt_or_eq]': '1.5e3' }).value, '1.5e3')
    assert.deepEqual(queryErrors({ 'exported[lt_or_eq]': 'true' }), [
      'operator "lt_or_eq" in "exported[lt_or_eq]" does not apply to boolean attributes; operators: eq, not_eq, blank',
    ])
  })
  it('contains: on text; not on datetimes', () => {
    assert.deepEqual(onlyFilter({ 'invoice_number[contains]': 'INV' }).op, 'contains')
    assert.deepEqual(queryErrors({ 'updated_at[contains]': '2010' }), [
      `operator "contains" in "updated_at[contains]" does not apply to datetime attributes; operators: ${NUMBER_OPERATORS}`,
    ])
  })
  it('starts_with: on text, even on a status; not on numbers', () => {
    assert.deepEqual(onlyFilter({ 'status[starts_with]': 'pend' }).value, 'pend')
    assert.deepEqual(queryErrors({ 'total[starts_with]': '1' }), [
      `operator "starts_with" in "total[starts_with]" does not apply to decimal attributes; operators: ${NUMBER_OPERATORS}`,
    ])
  })
  it('ends_with: on text; not on booleans', () => {
    assert.deepEqual(onlyFilter({ 'invoice_number[ends_with]': '-7' }).value, '-7')
    assert.deepEqual(queryErrors({ 'exported[ends_with]': 'e' }), [
      'operator "ends_with" in "exported[ends_with]" does not apply to boolean attributes; operators: eq, not_eq, blank',
    ])
  })
  it('in: a comma list, each item checked; empty items are refused', () => {
    assert.deepEqual(onlyFilter({ 'status[in]': 'approved,voided' }), {
      path: ['status'],
      type: 'string',
      op: 'in',
      value: ['approved', 'voided'],
    })
    assert.deepEqual(queryErrors({ 'status[in]': 'approved,,voided' }), [
      'invalid value "approved,,voided" for "status[in]": expected a comma-separated list of values without empty items, such as a,b',
    ])
    assert.deepEqual(queryErrors({ 'id[in]': '1,x' }), [
      'invalid value "x" for "id[in]": expected an integer such as 42',
    ])
  })
  it('not_in: datetimes in the list are normalised; a status outside its values is refused', () => {
    assert.deepEqual(onlyFilter({ 'created_at[not_in]': '2010-01-15,2010-03-25T18:38:00-07:00' }).value, [
      '2010-01-15T00:00:00.000Z',
      '2010-03-26T01:38:00.000Z',
    ])
    assert.deepEqual(queryErrors({ 'status[not_in]': 'approved,bogus' }), [
      'invalid value "bogus" for "status[not_in]": expected one of draft, pending_approval, approved, voided',
    ])
  })
  it('blank: true or false, on any type', () => {
    assert.deepEqual(onlyFilter({ 'total[blank]': 'false' }), {
      path: ['total'],
      type: 'decimal',
      op: 'blank',
      value: false,
    })
    assert.deepEqual(queryErrors({ 'status[blank]': 'yes' }), [
      'invalid value "yes" for "status[blank]": expected true or false',
    ])
  })
  it('refuses an unknown operator and lists those that apply', () => {
    assert.deepEqual(queryErrors({ 'status[like]': 'a%' }), [
      'unknown operator "like" in "status[like]"; operators: eq, not_eq, gt, lt, gt_or_eq, lt_or_eq, contains, starts_with, ends_with, in, not_in, blank',
    ])
    assert.deepEqual(queryErrors({ 'id[]': '1' }), [
      `unknown operator "" in "id[]"; operators: ${NUMBER_OPERATORS}`,
    ])
  })
})
