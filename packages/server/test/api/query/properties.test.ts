/** Property tests of the query language: robustness, round trip, and agreement with an oracle. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { matchesFilter, matchesFilters, OPERATORS, QueryError } from '../../../src/api/query/index.ts'
import { renderSpec, specArb, TARGETS } from './arbitraries.ts'
import { parseInvoices } from './definitions.ts'
import { invoiceRecordArb, oracleMatches, pooledParamArb } from './oracle.ts'

const KNOWN_NAMES = [
  ...new Set(TARGETS.flatMap((target) => target.path)),
  'invoice_lines',
  'invoice-lines',
  'updated-at',
  'offset',
  'limit',
  'order_by',
  'dir',
  'return_object',
  'fields',
  '__proto__',
  'constructor',
]
const nameArb = fc.oneof(fc.constantFrom(...KNOWN_NAMES), fc.string({ maxLength: 8 }))
const segmentArb = fc.oneof(nameArb, fc.constantFrom(...OPERATORS, 'like', 'not-eq', ''))
const keyArb = fc.oneof(
  fc
    .tuple(nameArb, fc.array(segmentArb, { maxLength: 4 }))
    .map(([head, rest]) => head + rest.map((s) => `[${s}]`).join('')),
  fc.string({ unit: 'binary', maxLength: 12 }),
)
const valueArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    'true',
    'false',
    '2010-01-15',
    '2010-03-25T18:38:00-07:00',
    '1,2',
    ',',
    'approved',
    '50',
    '-1',
    '0',
  ),
  fc.constantFrom(
    '["id"]',
    '[{"supplier":["name"]}]',
    '[{"status":[]}]',
    '[[["id"]]]',
    '{"a":1}',
    '[{"__proto__":[]}]',
  ),
  fc.json({ maxDepth: 3 }),
)
const paramsArb = fc.dictionary(keyArb, fc.oneof(valueArb, fc.array(valueArb, { maxLength: 3 })), {
  maxKeys: 6,
})

describe('query properties', () => {
  it('parsing any parameters either succeeds or throws a QueryError with messages', () => {
    fc.assert(
      fc.property(paramsArb, (params) => {
        try {
          const spec = parseInvoices(params)
          assert.ok(spec.limit >= 1 && spec.limit <= 50 && spec.offset >= 0)
        } catch (error) {
          assert.ok(error instanceof QueryError, `not a QueryError: ${String(error)}`)
          assert.ok(error.messages.length > 0)
          for (const message of error.messages) assert.ok(typeof message === 'string' && message.length > 0)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('parse(render(spec)) gives back spec, with names dashed or underscored', () => {
    fc.assert(
      fc.property(specArb, fc.boolean(), (spec, dash) => {
        assert.deepEqual(parseInvoices(renderSpec(spec, dash)), spec)
      }),
      { numRuns: 500 },
    )
  })

  it('matchesFilters agrees with the reference implementation', () => {
    fc.assert(
      fc.property(
        invoiceRecordArb,
        fc.uniqueArray(pooledParamArb, { maxLength: 3, selector: ([key]) => key }),
        (record, pairs) => {
          const { filters } = parseInvoices(Object.fromEntries(pairs))
          for (const filter of filters) {
            assert.equal(matchesFilter(record, filter), oracleMatches(record, filter), JSON.stringify(filter))
          }
          assert.equal(
            matchesFilters(record, filters),
            filters.every((filter) => oracleMatches(record, filter)),
          )
        },
      ),
      { numRuns: 2000 },
    )
  })
})
