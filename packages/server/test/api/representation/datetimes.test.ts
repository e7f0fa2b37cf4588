/**
 * Datetimes one way (coupa-api-facts §4.1 "Dates", §6 user sample `2016-11-08T11:28:50+02:00`):
 * every form a body may give, kept as the instant in UTC; written in whole seconds with the
 * offset of the instance's time zone, daylight saving time included.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { datetimeWriter, renderRecord } from '../../../src/api/representation/index.ts'
import { INVALID, readScalar } from '../../../src/api/representation/scalar-input.ts'
import { invoices, resolve } from './definitions.ts'
import { parseJson } from './helpers.ts'

describe('datetimes a body may give', () => {
  it('reads every documented form as its instant in UTC', () => {
    const cases: Array<[string, string]> = [
      ['2016-11-08', '2016-11-08T00:00:00.000Z'],
      ['2016-11-08T11:28:50Z', '2016-11-08T11:28:50.000Z'],
      ['2016-11-08T11:28:50+02:00', '2016-11-08T09:28:50.000Z'],
      ['2016-11-08T11:28:50-0700', '2016-11-08T18:28:50.000Z'],
      ['2016-11-08T11:28:50+02', '2016-11-08T09:28:50.000Z'],
      ['2016-11-08T11:28:50.123+02:00', '2016-11-08T09:28:50.123Z'],
      ['2016-11-08T11:28:50,5Z', '2016-11-08T11:28:50.500Z'],
      ['2016-11-08T11:28:50.123456789Z', '2016-11-08T11:28:50.123Z'],
      ['2016-11-08T11:28Z', '2016-11-08T11:28:00.000Z'],
      ['2016-11-08T11:28:50', '2016-11-08T11:28:50.000Z'],
      ['2016-11-08t11:28:50z', '2016-11-08T11:28:50.000Z'],
      [' 2016-11-08T11:28:50Z ', '2016-11-08T11:28:50.000Z'],
    ]
    for (const [raw, stored] of cases) assert.equal(readScalar('datetime', raw), stored, raw)
  })

  it('refuses anything else, naming the field', () => {
    for (const raw of [
      '2016-11-31',
      '2016-11-08T24:00:00Z',
      '2016-11-08T11:28:50+24:00',
      '2016-11-08 11:28:50',
      '2016-11-08T11:28:50 02:00',
      '08/11/2016',
      '1478604530',
    ]) {
      assert.equal(readScalar('datetime', raw), INVALID, raw)
    }
    assert.equal(readScalar('datetime', 1478604530), INVALID)
    assert.throws(() => parseJson('{"invoice-date":"2016-11-08 11:28:50"}'), {
      name: 'BodyError',
      messages: ['invoice-date must be a datetime'],
    })
  })
})

describe('datetimes the API writes', () => {
  it('writes seconds and +00:00 in UTC, whatever form the record holds', () => {
    const write = datetimeWriter()
    assert.equal(write('2016-11-08T09:28:50.000Z'), '2016-11-08T09:28:50+00:00')
    assert.equal(write('2016-11-08T09:28:50.999Z'), '2016-11-08T09:28:50+00:00')
    assert.equal(write('2016-11-08T11:28:50+02:00'), '2016-11-08T09:28:50+00:00')
    assert.equal(write('2016-11-08T00:00:00Z'), '2016-11-08T00:00:00+00:00')
  })

  it("writes the offset of the instance's time zone at that instant, DST included", () => {
    const berlin = datetimeWriter('Europe/Berlin')
    assert.equal(berlin('2016-11-08T09:28:50.000Z'), '2016-11-08T10:28:50+01:00')
    assert.equal(berlin('2016-07-08T09:28:50.000Z'), '2016-07-08T11:28:50+02:00')
    // 2016-03-27 01:00 UTC Berlin moves from +01:00 to +02:00.
    assert.equal(berlin('2016-03-27T00:59:59.000Z'), '2016-03-27T01:59:59+01:00')
    assert.equal(berlin('2016-03-27T01:00:00.000Z'), '2016-03-27T03:00:00+02:00')
    const pacific = datetimeWriter('America/Los_Angeles')
    assert.equal(pacific('2008-10-28T07:00:00.000Z'), '2008-10-28T00:00:00-07:00')
    assert.equal(pacific('2008-12-28T08:00:00.000Z'), '2008-12-28T00:00:00-08:00')
    assert.equal(datetimeWriter('Asia/Kolkata')('2016-11-08T09:28:50Z'), '2016-11-08T14:58:50+05:30')
  })

  it('writes every datetime of a record so, in JSON and XML, dates left as they are', () => {
    const record = {
      id: 1,
      invoice_date: '2008-10-28T07:00:00.000Z',
      net_due_date: '2008-11-27',
      created_at: '2008-10-28T10:00:00.250Z',
    }
    const pacific = datetimeWriter('America/Los_Angeles')
    const full = { returnObject: 'full' } as const
    const json = JSON.parse(renderRecord(invoices, record, full, 'json', resolve, pacific).body)
    assert.equal(json['invoice-date'], '2008-10-28T00:00:00-07:00')
    assert.equal(json['created-at'], '2008-10-28T03:00:00-07:00')
    assert.equal(json['net-due-date'], '2008-11-27')
    const xml = renderRecord(invoices, record, full, 'xml', resolve, pacific).body
    assert.match(xml, /<invoice-date type="datetime">2008-10-28T00:00:00-07:00<\/invoice-date>/)
    assert.match(xml, /<created-at type="datetime">2008-10-28T03:00:00-07:00<\/created-at>/)
  })
})
