import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseRetryAfter } from '../src/internal.ts'
import { backoffDelay, TOKEN_BACKOFF, tokenRetryDelay } from '../src/retry.ts'

const NOW = Date.UTC(2025, 0, 15, 8)

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds', () => {
    assert.equal(parseRetryAfter('120', NOW), 120_000)
    assert.equal(parseRetryAfter(' 0 ', NOW), 0)
  })

  it('reads an HTTP date relative to the wall clock, never negative', () => {
    assert.equal(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW), 30_000)
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW), 0)
  })

  it('ignores what it cannot read', () => {
    for (const value of [null, undefined, '', '-5', '1.5', 'soon', '2025-01-15']) {
      assert.equal(parseRetryAfter(value, NOW), undefined, String(value))
    }
  })
})

describe('backoff: capped exponential with full jitter', () => {
  it('draws from [0, min(5 min, 1 s × 2^(n−1)))', () => {
    assert.equal(
      backoffDelay(1, TOKEN_BACKOFF, () => 0.999),
      999,
    )
    assert.equal(
      backoffDelay(4, TOKEN_BACKOFF, () => 0.5),
      4000,
    )
    assert.equal(
      backoffDelay(50, TOKEN_BACKOFF, () => 0.5),
      150_000,
    )
    assert.equal(
      backoffDelay(3, TOKEN_BACKOFF, () => 0),
      0,
    )
  })

  it('never retries sooner than Retry-After, waits 60 s after a refusal, caps Retry-After at 1 h', () => {
    const transient = (retryAfterMs?: number) => ({ transient: true, retryAfterMs })
    assert.equal(
      tokenRetryDelay(transient(), 1, () => 0),
      100,
    )
    assert.equal(
      tokenRetryDelay(transient(10_000), 1, () => 0.5),
      10_000,
    )
    assert.equal(
      tokenRetryDelay(transient(10 ** 9), 1, () => 0.5),
      3_600_000,
    )
    assert.equal(
      tokenRetryDelay({ transient: false, retryAfterMs: undefined }, 1, () => 0.5),
      60_000,
    )
  })
})
