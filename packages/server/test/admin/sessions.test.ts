import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/admin/sessions.ts'
import {
  ADMIN_PASSWORD,
  adminAuth,
  basicHeader,
  startInstance,
  TestClock,
  type TestInstance,
} from '../instance.ts'
import { storeBackends } from '../stores.ts'

const COOKIE = /^keyshift_session=([A-Za-z0-9_-]{43}); Path=\/; Max-Age=(\d+); HttpOnly; SameSite=Strict$/

for (const backend of storeBackends) {
  describe(`Setup sessions on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    const clock = new TestClock()
    before(async () => {
      // A tighter throttle than the default 30 failures per address: this address signed in
      // before, so its wrong passwords are not paced but slowed up to the address's limit, each
      // with a real scrypt and a real pause of up to 2 s; with the defaults that took this file past
      // its 3 minutes on a loaded 2-core machine. The defaults are throttle.test.ts's.
      t = await startInstance(backend, { clock, throttle: { maxFailuresPerAddress: 8 } })
    })
    after(() => t.close())

    const signIn = async (password = ADMIN_PASSWORD) => {
      const response = await t.instance.app.inject({
        method: 'POST',
        url: '/admin/v1/session',
        payload: { username: 'admin', password },
      })
      const match = COOKIE.exec(String(response.headers['set-cookie'] ?? ''))
      return { response, id: match?.[1] ?? '', maxAge: Number(match?.[2]), body: response.json() }
    }
    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>) =>
      t.instance.app.inject({
        method,
        url: `/admin/v1${url}`,
        headers,
        ...(method === 'POST' && { payload: {} }),
      })

    it('signs in with the admin password: an HttpOnly, SameSite=Strict cookie and a CSRF token', async () => {
      const { response, id, maxAge, body } = await signIn()
      assert.equal(response.statusCode, 201)
      assert.equal(response.headers['cache-control'], 'no-store')
      assert.ok(id, `cookie: ${response.headers['set-cookie']}`)
      assert.equal(maxAge, SESSION_ABSOLUTE_MS / 1000)
      assert.equal(body.username, 'admin')
      assert.match(body.csrf_token, /^[A-Za-z0-9_-]{43}$/)
      assert.equal(body.expires_at, new Date(clock.now() + SESSION_IDLE_MS).toISOString())
      // Only a hash of the session id is stored.
      assert.equal(await t.testStore.store.getAdminSession(id), undefined)
      const hash = createHash('sha256').update(id).digest('hex')
      assert.equal((await t.testStore.store.getAdminSession(hash))?.username, 'admin')
    })

    it('reads with the cookie alone; changes need the CSRF token and this origin', async () => {
      const { id, body } = await signIn()
      const cookie = `other=1; keyshift_session=${id}`
      const session = await call('GET', '/session', { cookie })
      assert.equal(session.statusCode, 200)
      assert.equal(session.json().csrf_token, body.csrf_token)
      assert.equal((await call('GET', '/oauth2/clients', { cookie })).statusCode, 200)

      const rotate = '/signing-keys/rotate'
      const noToken = await call('POST', rotate, { cookie })
      assert.equal(noToken.statusCode, 403)
      assert.match(noToken.json().detail, /X-CSRF-Token/)
      const wrong = `${body.csrf_token.slice(0, -1)}${body.csrf_token.endsWith('A') ? 'B' : 'A'}`
      assert.equal((await call('POST', rotate, { cookie, 'x-csrf-token': wrong })).statusCode, 403)
      const foreign = await call('POST', rotate, {
        cookie,
        'x-csrf-token': body.csrf_token,
        origin: 'https://evil.example',
      })
      assert.equal(foreign.statusCode, 403)
      const ok = await call('POST', rotate, {
        cookie,
        'x-csrf-token': body.csrf_token,
        origin: 'http://localhost:80',
      })
      assert.equal(ok.statusCode, 200, ok.body)
    })

    it('refuses a change from another site even with Basic credentials (the browser may hold them)', async () => {
      const headers = { authorization: adminAuth, origin: 'https://evil.example' }
      const response = await call('POST', '/signing-keys/rotate', headers)
      assert.equal(response.statusCode, 403)
      assert.equal((await call('GET', '/scopes', headers)).statusCode, 200, 'reading is not a change')
    })

    it('a session token of one session is no CSRF token for another', async () => {
      const first = await signIn()
      const second = await signIn()
      const response = await call('POST', '/signing-keys/rotate', {
        cookie: `keyshift_session=${second.id}`,
        'x-csrf-token': first.body.csrf_token,
      })
      assert.equal(response.statusCode, 403)
    })

    it('signs out: the cookie is cleared and no longer works', async () => {
      const { id, body } = await signIn()
      const cookie = `keyshift_session=${id}`
      assert.equal((await call('DELETE', '/session', { cookie })).statusCode, 403, 'sign-out needs the token')
      const out = await call('DELETE', '/session', { cookie, 'x-csrf-token': body.csrf_token })
      assert.equal(out.statusCode, 204)
      assert.match(String(out.headers['set-cookie']), /^keyshift_session=; Path=\/; Max-Age=0; HttpOnly/)
      assert.equal((await call('GET', '/oauth2/clients', { cookie })).statusCode, 401)
      assert.equal((await call('GET', '/session', { cookie })).statusCode, 401)
    })

    it('ends a session after 30 idle minutes, and any session after 12 hours', async () => {
      const idle = await signIn()
      const busy = await signIn()
      const get = (id: string) => call('GET', '/oauth2/clients', { cookie: `keyshift_session=${id}` })
      // The busy admin clicks every 20 minutes; the idle one not at all.
      for (let elapsed = 20 * 60_000; elapsed < SESSION_ABSOLUTE_MS; elapsed += 20 * 60_000) {
        clock.advance(20 * 60_000)
        assert.equal((await get(busy.id)).statusCode, 200, `busy at ${elapsed / 60_000} min`)
        if (elapsed === 40 * 60_000) assert.equal((await get(idle.id)).statusCode, 401, 'idle for 40 min')
      }
      clock.advance(20 * 60_000)
      const over = await get(busy.id)
      assert.equal(over.statusCode, 401, 'over 12 hours')
      // The answer to the Setup pages carries no Basic challenge: the browser must not ask itself.
      const fromPage = await call('GET', '/oauth2/clients', {
        cookie: `keyshift_session=${busy.id}`,
        'x-requested-with': 'keyshift-setup',
      })
      assert.equal(fromPage.statusCode, 401)
      assert.equal(fromPage.headers['www-authenticate'], undefined)
      assert.match(String(over.headers['www-authenticate']), /^Basic realm=/)
    })

    it('slows and then refuses repeated wrong passwords (429, Retry-After), then lets the admin in', async () => {
      let refused: Awaited<ReturnType<typeof signIn>>['response'] | undefined
      for (let attempt = 0; attempt < 40 && !refused; attempt++) {
        const { response } = await signIn('wrong password')
        if (response.statusCode === 429) refused = response
        else assert.equal(response.statusCode, 401)
      }
      assert.ok(refused, 'never refused')
      assert.match(String(refused.headers['retry-after']), /^\d+$/)
      // Basic with the wrong password is counted and refused too.
      const basic = await call('GET', '/scopes', { authorization: basicHeader('admin', 'wrong') })
      assert.equal(basic.statusCode, 429)
      clock.advance(61_000)
      assert.equal((await signIn()).response.statusCode, 201)
    })

    it('answers 400 with the field for a sign-in body without a password', async () => {
      const response = await t.instance.app.inject({
        method: 'POST',
        url: '/admin/v1/session',
        payload: { username: 'admin' },
      })
      assert.equal(response.statusCode, 400)
      assert.deepEqual(response.json().errors, { password: ['is required'] })
    })
  })
}

describe('Setup sessions behind https', () => {
  let t: TestInstance
  before(async () => {
    const [sqlite] = storeBackends
    t = await startInstance(sqlite as NonNullable<typeof sqlite>, { issuer: 'https://keyshift.example' })
  })
  after(() => t.close())

  it('names the cookie __Host-keyshift_session and marks it Secure', async () => {
    const response = await t.instance.app.inject({
      method: 'POST',
      url: '/admin/v1/session',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    })
    assert.equal(response.statusCode, 201)
    assert.match(
      String(response.headers['set-cookie']),
      /^__Host-keyshift_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure$/,
    )
  })

  // RFC 6454 §5: an origin is scheme, host and port. A page of http://keyshift.example (any network
  // attacker can write one) is another origin than the instance at https://keyshift.example.
  it('refuses a change whose Origin has the right host but the wrong scheme', async () => {
    const rotate = (origin: string, host = 'keyshift.example') =>
      t.instance.app.inject({
        method: 'POST',
        url: '/admin/v1/signing-keys/rotate',
        headers: { authorization: adminAuth, host, origin },
        payload: {},
      })
    assert.equal((await rotate('http://keyshift.example')).statusCode, 403)
    assert.equal((await rotate('http://keyshift.example:443')).statusCode, 403)
    assert.equal((await rotate('https://keyshift.example:8443')).statusCode, 403)
    assert.equal((await rotate('null')).statusCode, 403)
    const same = await rotate('https://keyshift.example')
    assert.equal(same.statusCode, 200, same.body)
    // Behind TLS termination the proxy may pass its own Host: the issuer's origin is still this one.
    assert.equal((await rotate('https://keyshift.example', '127.0.0.1:8080')).statusCode, 200)
    assert.equal((await rotate('http://127.0.0.1:8080', '127.0.0.1:8080')).statusCode, 403)
  })
})
