import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LoadResult } from './autocannon.ts'
import { computeGoals, type Row } from './report.ts'

const load = (reqPerSec: number): LoadResult => ({
  reqPerSec,
  p50: 1,
  p99: 2,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  total: reqPerSec * 10,
})
const row = (target: string, reqPerSec: number, extra: Partial<Row> = {}): Row => ({
  target,
  busyBefore: 0,
  ...load(reqPerSec),
  ...extra,
})
const goal = (rows: Row[], name: string) => {
  const found = computeGoals(rows).find((g) => g.goal === name)
  assert.ok(found, `no goal ${name}`)
  return found
}

describe('bench goals that compare two targets', () => {
  it('read the loads in turns of the target that ran them, not the two loads run apart', () => {
    const rows = [
      row('bare-es256', 10_000),
      // Loaded alone later, on a quieter machine: 1.2 apart, 0.9 in turns.
      row('keyshift', 12_000, { inTurns: { partner: 'bare-es256', own: load(9_000), other: load(10_000) } }),
    ]
    const tokens = goal(rows, 'Keyshift/bare-es256')
    assert.equal(tokens.value, 0.9)
    assert.equal(tokens.detail, 'in turns: 9000 against 10000 req/s; loaded one after the other 1.200')
  })

  it('read them the other way round when the base target ran them (ledger off in turns with on)', () => {
    const rows = [
      row('api-get-key', 20_000),
      row('api-get-key-no-ledger', 19_000, {
        inTurns: { partner: 'api-get-key', own: load(18_000), other: load(17_100) },
      }),
    ]
    assert.equal(goal(rows, 'api-get-key ledger on/off').value, 17_100 / 18_000)
  })

  it('fall back to the two loads run apart, and say so, when none ran in turns', () => {
    const rows = [row('api-get-bearer', 16_000), row('api-get-key', 15_200)]
    const keys = goal(rows, 'api-get-key/api-get-bearer')
    assert.equal(keys.value, 0.95)
    assert.equal(keys.detail, 'loaded one after the other 0.950')
  })
})

describe('bench goals over several rounds on fresh processes', () => {
  const sameBytes = (own: number, bare: number): Partial<Row> => ({
    ...load(own),
    sameBytes: load(bare),
    bytes: 2788,
  })

  it('read the median of the rounds, not the first round, and list every round', () => {
    const rows = [
      row('api-get-bearer', 6_000, {
        ...sameBytes(6_000, 10_000),
        moreRounds: [
          { target: 'api-get-bearer', busyBefore: 0, ...sameBytes(8_000, 10_000) },
          { target: 'api-get-bearer', busyBefore: 0, ...sameBytes(7_500, 10_000) },
        ],
      }),
    ]
    const get = goal(rows, 'api-get-bearer/bare-same-bytes')
    assert.equal(get.value, 0.75)
    assert.match(
      get.detail ?? '',
      /^median of 3 rounds on fresh processes: 0\.600, 0\.800, 0\.750; round 1: 6000/,
    )
  })

  it('read the median of the loads in turns, from whichever side ran them', () => {
    const turns = (own: number, other: number) => ({
      partner: 'api-get-key',
      own: load(own),
      other: load(other),
    })
    const rows = [
      row('api-get-key', 20_000),
      row('api-get-key-no-ledger', 19_000, {
        inTurns: turns(20_000, 18_000),
        moreRounds: [
          { target: 'api-get-key-no-ledger', busyBefore: 0, inTurns: turns(20_000, 20_000) },
          { target: 'api-get-key-no-ledger', busyBefore: 0, inTurns: turns(20_000, 19_400) },
          { target: 'api-get-key-no-ledger', busyBefore: 0, inTurns: turns(20_000, 21_000) },
        ],
      }),
    ]
    // Ratios 0.90, 1.00, 0.97, 1.05: the mean of the middle two.
    assert.equal(goal(rows, 'api-get-key ledger on/off').value, (0.97 + 1) / 2)
  })

  it('count the errors of every round', () => {
    const failed = { ...load(7_000), non2xx: 3 }
    const rows = [
      row('api-list', 5_000, {
        ...sameBytes(5_000, 10_000),
        moreRounds: [
          { target: 'api-list', busyBefore: 0, ...sameBytes(5_000, 10_000), sameBytesFastify: failed },
        ],
      }),
    ]
    assert.equal(goal(rows, 'API errors (non-2xx, errors, timeouts)').value, 3)
  })
})

describe('references loaded in the same turns', () => {
  it('say how each compares with the base and the target with it, in medians over the rounds', () => {
    const turns = (own: number, other: number, fastify: number) => ({
      partner: 'bare-es256',
      own: load(own),
      other: load(other),
      references: { 'fastify-es256': load(fastify) },
    })
    const rows = [
      row('bare-es256', 10_000),
      row('keyshift', 9_000, {
        inTurns: turns(9_000, 10_000, 9_500),
        moreRounds: [
          { target: 'keyshift', busyBefore: 0, inTurns: turns(8_000, 10_000, 8_000) },
          { target: 'keyshift', busyBefore: 0, inTurns: turns(9_900, 10_000, 9_000) },
        ],
      }),
    ]
    const tokens = goal(rows, 'Keyshift/bare-es256')
    assert.equal(tokens.value, 0.9)
    assert.match(
      tokens.detail ?? '',
      /; in the same turns fastify-es256 made 0\.900 × bare-es256, and keyshift 1\.000 × fastify-es256 \(medians\)$/,
    )
  })
})
