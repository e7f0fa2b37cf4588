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
