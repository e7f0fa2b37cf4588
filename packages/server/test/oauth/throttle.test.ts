import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type Admission, AuthThrottle } from '../../src/oauth/throttle.ts'
import { TestClock } from '../instance.ts'

function admitted(admission: Admission) {
  assert.ok(admission.admitted, 'refused')
  return admission
}

describe('AuthThrottle.reserve (checks that cost a scrypt)', () => {
  it('counts a check before it runs: of 60 at once from one address, 10 run, 1 waits its turn, 49 are refused', () => {
    const throttle = new AuthThrottle({ clock: new TestClock() })
    const answers = Array.from({ length: 60 }, () => throttle.reserve('203.0.113.1', 'admin'))
    const now = answers.filter((a) => a.admitted && a.waitMs === 0)
    const later = answers.filter((a) => a.admitted && a.waitMs > 0)
    const refused = answers.filter((a) => !a.admitted)
    assert.deepEqual([now.length, later.length, refused.length], [10, 1, 49])
    assert.deepEqual(
      later.map((a) => a.admitted && a.waitMs),
      [6000],
    )
    for (const answer of refused) assert.ok(!answer.admitted && answer.retryAfter >= 1)
  })

  it('gives the failure back when the password was right', () => {
    const throttle = new AuthThrottle({ clock: new TestClock() })
    for (let i = 0; i < 100; i++) admitted(throttle.reserve('198.51.100.1', 'admin')).attempt.release()
    assert.equal(admitted(throttle.reserve('198.51.100.1', 'admin')).waitMs, 0)
  })

  it('paces an address that never signed in once the account is over its limit, but never refuses its first check', () => {
    const clock = new TestClock()
    const throttle = new AuthThrottle({ clock })
    for (let i = 0; i < 10; i++) admitted(throttle.reserve(`203.0.113.${i}`, 'admin')).attempt.confirm()
    // A new address, after a restart or not: checked at once.
    assert.equal(admitted(throttle.reserve('198.51.100.2', 'admin')).waitMs, 0)
    // Its next check (a typo, then the right password) waits one interval; a third is refused.
    assert.equal(admitted(throttle.reserve('198.51.100.2', 'admin')).waitMs, 6000)
    const third = throttle.reserve('198.51.100.2', 'admin')
    assert.deepEqual(third, { admitted: false, retryAfter: 6 })
    clock.advance(6000)
    assert.equal(admitted(throttle.reserve('198.51.100.2', 'admin')).waitMs, 6000)
  })

  it('does not pace an address that signed in to the account', () => {
    const throttle = new AuthThrottle({ clock: new TestClock() })
    throttle.succeeded('192.0.2.1', 'admin')
    for (let i = 0; i < 10; i++) admitted(throttle.reserve(`203.0.113.${i}`, 'admin')).attempt.confirm()
    for (let i = 0; i < 3; i++) assert.equal(admitted(throttle.reserve('192.0.2.1', 'admin')).waitMs, 0)
  })

  it('refuses an address that made its 30 failures, until its window ends', () => {
    const clock = new TestClock()
    const throttle = new AuthThrottle({ clock })
    for (let i = 0; i < 30; i++) admitted(throttle.reserve('203.0.113.9', `user-${i}`)).attempt.confirm()
    assert.deepEqual(throttle.reserve('203.0.113.9', 'admin'), { admitted: false, retryAfter: 60 })
    clock.advance(60_000)
    assert.equal(admitted(throttle.reserve('203.0.113.9', 'admin')).waitMs, 0)
  })
})

describe('AuthThrottle.retryAfter and failed (cheap credentials, checked first)', () => {
  it('refuses failures for an account over its limit from addresses that never authenticated it', () => {
    const throttle = new AuthThrottle({ clock: new TestClock() })
    throttle.succeeded('192.0.2.1', 'client')
    for (let i = 0; i < 10; i++) throttle.failed(`203.0.113.${i}`, 'client')
    assert.equal(throttle.retryAfter('198.51.100.3', 'client'), 60)
    assert.equal(throttle.retryAfter('192.0.2.1', 'client'), 0)
  })
})
