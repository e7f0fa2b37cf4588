/**
 * What the agent says of a token (its /healthz state) follows the manager's own window: a token is
 * usable exactly while the manager hands it out, not up to the half second that `expiresIn`, a
 * whole number of seconds, rounds away (e2e/outage.test.ts saw /healthz say `stale` while
 * /v1/tokens already answered KS_TOKEN_EXPIRED).
 */
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { describe, it } from 'node:test'
import type { RefreshFailedEvent, TokenEvent, TokenManager } from '@keyshift/client'
import { trackTokenStatus } from '../../src/agent/tokens/status.ts'

describe('agent token status', () => {
  it('is usable until the manager stops handing the token out, to the millisecond', () => {
    const manager = new EventEmitter()
    const now = 1_000
    const status = trackTokenStatus(manager as unknown as TokenManager, () => now)
    // A 24 s token the manager holds until 21.2 s from now: 23.6 s of life, `expiresIn` rounds it to 24.
    const event: TokenEvent = {
      fingerprint: 'fp',
      expiresIn: 24,
      refreshInMs: 19_600,
      servableForMs: 21_200,
      source: 'endpoint',
    }
    manager.emit('token', event)
    assert.equal(status.state(now + 21_199), 'fresh')
    assert.equal(status.state(now + 21_200), 'pending')
    const failed: RefreshFailedEvent = {
      code: 'KS_TOKEN_ENDPOINT_UNAVAILABLE',
      attempt: 1,
      nextRetryMs: 500,
      status: undefined,
      error: undefined,
    }
    manager.emit('refresh_failed', failed)
    assert.equal(status.state(now + 21_199), 'stale')
    assert.equal(status.state(now + 21_200), 'failing')
    assert.equal(status.expiresInSeconds(now), 24)
  })
})
