import assert from 'node:assert/strict'
import { afterEach, describe, it, mock } from 'node:test'
import type { HourlyUsage, PrincipalUseRecord } from '../../src/contract/records.ts'
import { UsageLedger } from '../../src/transition/usage-ledger.ts'
import { TestClock } from '../instance.ts'
import { HOUR, T } from './support.ts'

const key = { kind: 'api_key' as const, id: 'key-1' }
const origin = (n: number) => ({ remoteAddress: `10.0.0.${n}`, userAgent: `agent/${n}` })
const silent = { warn: () => {} }

describe('usage ledger when the store fails', () => {
  afterEach(() => mock.timers.reset())

  /** A store whose writes fail while `failing` is true, and that keeps what it was sent. */
  function flakyStore() {
    const written = { counts: [] as HourlyUsage[], uses: [] as PrincipalUseRecord[], failing: true }
    const fail = () => Promise.reject(new Error('connection refused'))
    return Object.assign(written, {
      addUsage: async (rows: readonly HourlyUsage[]) =>
        written.failing ? fail() : void written.counts.push(...rows),
      upsertPrincipalUse: async (rows: readonly PrincipalUseRecord[]) =>
        written.failing ? fail() : void written.uses.push(...rows),
      rollUpUsage: async () => {},
    })
  }

  it('logs the failure and keeps the counts for the next flush', async () => {
    const store = flakyStore()
    const warnings: string[] = []
    const clock = new TestClock(T)
    const ledger = new UsageLedger({
      store,
      clock,
      logger: { warn: (_: unknown, m: string) => void warnings.push(m) },
    })
    ledger.record(key, 'invoices', 'index', origin(1))
    await ledger.flush()
    assert.deepEqual(warnings, [
      'writing usage counts failed; kept for the next flush',
      'writing last uses failed; kept for the next flush',
    ])
    ledger.record(key, 'invoices', 'index', origin(2))
    store.failing = false
    await ledger.flush()
    assert.deepEqual(
      store.counts.map((c) => c.calls),
      [2],
    )
    assert.equal(store.uses[0]?.lastRemoteAddress, '10.0.0.2')
    assert.equal(store.uses[0]?.firstAt, T)
  })

  it('keeps at most maxPendingRows rows, dropping the oldest hours', async () => {
    const store = flakyStore()
    const clock = new TestClock(T)
    const ledger = new UsageLedger({ store, clock, logger: silent, maxPendingRows: 2 })
    for (let hour = 0; hour < 3; hour++) {
      ledger.record(key, 'invoices', 'index', origin(1))
      clock.advance(HOUR)
    }
    await ledger.flush()
    store.failing = false
    await ledger.flush()
    assert.deepEqual(
      store.counts.map((c) => c.hour),
      [T + HOUR, T + 2 * HOUR],
    )
  })

  it('flushes on its timer, every flushIntervalMs, and close() writes the rest', async () => {
    mock.timers.enable({ apis: ['setInterval'] })
    const store = flakyStore()
    store.failing = false
    const ledger = new UsageLedger({ store, clock: new TestClock(T), logger: silent, flushIntervalMs: 1000 })
    ledger.start()
    ledger.record(key, 'invoices', 'index', origin(1))
    mock.timers.tick(999)
    await new Promise(setImmediate)
    assert.equal(store.counts.length, 0)
    mock.timers.tick(1)
    await new Promise(setImmediate)
    assert.equal(store.counts.length, 1)
    ledger.record(key, 'invoices', 'show', origin(1))
    await ledger.close()
    assert.deepEqual(
      store.counts.map((c) => c.action),
      ['index', 'show'],
    )
  })
})
