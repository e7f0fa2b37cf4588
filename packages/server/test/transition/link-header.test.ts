/**
 * Issue 13, finding 5: the documentation URL an admin sets reaches the `Link` header of every
 * API-key call. It is checked when written (https, nothing that ends a header parameter) and
 * stored percent-encoded; and whatever the store holds (a value an older version wrote), the
 * headers of an API-key call are valid, so a write is never answered 500 after it committed.
 */
import assert from 'node:assert/strict'
import { validateHeaderValue } from 'node:http'
import { after, afterEach, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { readServeConfig } from '../../src/config.ts'
import { linkTarget } from '../../src/transition/settings.ts'
import { createApiKeySignals } from '../../src/transition/signals.ts'
import { TEST_NOW } from '../instance.ts'
import { storeBackends } from '../stores.ts'
import { assertProblem, startTransitionInstance, type TransitionInstance } from './support.ts'

const ENCODED = 'https://example.com/%E7%A7%BB%E8%A1%8C'
/** RFC 8288 §3 as this server writes it: one link-value, its target with no space, `<>";,`. */
const LINK = /^<[\x21-\x7e]+>; rel="deprecation"; type="text\/html"$/
const CHARACTERS = 'must not contain spaces, control characters, <, >, " or \\; percent-encode them'
const OFF = { deprecation_at: null, sunset_at: null, documentation_url: null, brownouts: [] }

/** Asserts that Node writes every header of a response, and that a Link is one valid link-value. */
function assertValidSignals(headers: Record<string, unknown>): void {
  for (const name of ['link', 'deprecation', 'sunset']) {
    if (headers[name] !== undefined) validateHeaderValue(name, headers[name] as string)
  }
  if (headers.link !== undefined) {
    assert.match(String(headers.link), LINK)
    assert.doesNotMatch(String(headers.link).slice(1, String(headers.link).indexOf('>')), /[<>";, ]/)
  }
  if (headers.sunset !== undefined) {
    assert.match(String(headers.sunset), /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
  }
  if (headers.deprecation !== undefined) assert.match(String(headers.deprecation), /^@-?\d{1,15}$/)
}

for (const backend of storeBackends) {
  describe(`the documentation URL in the Link of API-key calls on ${backend.name}`, {
    skip: backend.skip,
  }, () => {
    let t: TransitionInstance
    let key: { id: string; headers: Record<string, string> }
    let suppliers = 0
    before(async () => {
      t = await startTransitionInstance(backend)
      key = await t.createKey('Supplier sync')
    })
    after(() => t.close())
    afterEach(async () => {
      await t.testStore.store.setSetting('transition', JSON.stringify({}))
      assert.equal((await t.admin('PUT', '/transition/settings', OFF)).statusCode, 200)
    })

    const put = (body: unknown) => t.admin('PUT', '/transition/settings', body)
    const get = () => t.call('GET', '/api/invoices/1', key.headers)
    /** POST /api/suppliers with the key: 201, and the supplier is there exactly once. */
    const createSupplier = async () => {
      const name = `Supplier ${++suppliers} ${backend.name}`
      const created = await t.instance.app.inject({
        method: 'POST',
        url: '/api/suppliers',
        headers: { ...key.headers, accept: 'application/json', 'content-type': 'application/json' },
        payload: JSON.stringify({ name }),
      })
      assert.equal(created.statusCode, 201, created.body)
      assertValidSignals(created.headers)
      const found = await t.call('GET', `/api/suppliers?name=${encodeURIComponent(name)}`, key.headers)
      assert.equal(found.statusCode, 200, found.body)
      assert.equal(found.json().length, 1)
      return created
    }

    it('stores a non-ASCII URL percent-encoded, and API-key calls go on answering with a valid Link', async () => {
      const written = await put({ documentation_url: 'https://example.com/移行' })
      assert.equal(written.statusCode, 200, written.body)
      assert.equal(written.json().documentation_url, ENCODED)
      assert.equal((await t.report('settings')).documentation_url, ENCODED)
      const response = await get()
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.headers.link, `<${ENCODED}>; rel="deprecation"; type="text/html"`)
      assertValidSignals(response.headers)
      const created = await createSupplier()
      assert.equal(created.headers.link, `<${ENCODED}>; rel="deprecation"; type="text/html"`)
    })

    it('encodes a non-ASCII host in punycode, and `;` and `,` so that no Link parser splits there', async () => {
      const host = await put({ documentation_url: 'https://例え.jp/docs?a=1,2;b' })
      assert.equal(host.statusCode, 200, host.body)
      assert.equal(host.json().documentation_url, 'https://xn--r8jz45g.jp/docs?a=1%2C2%3Bb')
      assertValidSignals((await get()).headers)
    })

    it('refuses a URL that would add a parameter to the Link: 400 naming documentation_url, nothing changed', async () => {
      assert.equal((await put({ documentation_url: 'https://example.com/docs' })).statusCode, 200)
      const before = await t.report('settings')
      assertProblem(await put({ documentation_url: 'https://example.com/a>; rel="x"' }), 400, {
        documentation_url: [CHARACTERS],
      })
      assertProblem(await put({ documentation_url: 'https://example.com/a\r\nSet-Cookie: x=1' }), 400, {
        documentation_url: [CHARACTERS],
      })
      assertProblem(await put({ documentation_url: 'https://example.com/<a>' }), 400, {
        documentation_url: [CHARACTERS],
      })
      assertProblem(await put({ documentation_url: 'http://docs.example.com/transition' }), 400, {
        documentation_url: ['must use https (http only for localhost, 127.0.0.1 or [::1])'],
      })
      assertProblem(await put({ documentation_url: 'https://user:secret@example.com/docs' }), 400, {
        documentation_url: ['must not contain a user name or password'],
      })
      assertProblem(await put({ documentation_url: '/docs/transition' }), 400, {
        documentation_url: ['must be an http(s) URL such as https://example.com/docs/transition'],
      })
      assert.deepEqual(await t.report('settings'), before)
      assert.equal(
        (await get()).headers.link,
        '<https://example.com/docs>; rel="deprecation"; type="text/html"',
      )
    })

    it('accepts http on a loopback host, for tests and development', async () => {
      const local = await put({ documentation_url: 'http://localhost:8080/docs' })
      assert.equal(local.statusCode, 200, local.body)
      assert.equal(local.json().documentation_url, 'http://localhost:8080/docs')
      assert.equal((await put({ documentation_url: 'http://127.0.0.1/docs' })).statusCode, 200)
      assert.equal((await put({ documentation_url: 'http://[::1]:9000/docs' })).statusCode, 200)
    })

    it('sends only valid headers for settings an older version stored raw, and writes are acknowledged', async () => {
      const raw = 'https://example.com/移行>; rel="x"'
      await t.testStore.store.setSetting(
        'transition',
        JSON.stringify({ documentation_url: raw, deprecation_at: -1e20, sunset_at: 1e20 }),
      )
      await t.instance.transition.settings.load()
      assert.equal(t.instance.transition.settings.current.documentationUrl, raw)
      const response = await get()
      assert.equal(response.statusCode, 200, response.body)
      assertValidSignals(response.headers)
      assert.equal(
        response.headers.link,
        '<https://example.com/%E7%A7%BB%E8%A1%8C%3E%3B%20rel=%22x%22>; rel="deprecation"; type="text/html"',
      )
      // Dates no HTTP-date can write are left out rather than sent broken.
      assert.equal(response.headers.sunset, undefined)
      assert.equal(response.headers.deprecation, undefined)
      await createSupplier()

      // Not a URL at all, or one with credentials: no Link, or one without them.
      await t.testStore.store.setSetting('transition', JSON.stringify({ documentation_url: 'not a url\n' }))
      await t.instance.transition.settings.load()
      const none = await get()
      assert.equal(none.statusCode, 200, none.body)
      assert.equal(none.headers.link, undefined)
      await t.testStore.store.setSetting(
        'transition',
        JSON.stringify({ documentation_url: 'https://user:secret@example.com/docs' }),
      )
      await t.instance.transition.settings.load()
      const withoutSecret = await get()
      assert.equal(
        withoutSecret.headers.link,
        '<https://example.com/docs>; rel="deprecation"; type="text/html"',
      )
      await createSupplier()
    })
  })
}

describe('the signals of an API-key call, whatever the settings hold', () => {
  it('are always headers Node writes, and a Link is one RFC 8288 link-value', () => {
    const key = { id: 'k', deprecationAt: null, sunsetAt: null } as never
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.string({ unit: 'binary' }).map((tail) => `https://example.com/${tail}`),
        ),
        fc.oneof(fc.constant(null), fc.double(), fc.integer()),
        fc.oneof(fc.constant(null), fc.double(), fc.integer()),
        (url, deprecationAt, sunsetAt) => {
          const settings = {
            current: { quietPeriodSeconds: 1, deprecationAt, sunsetAt, documentationUrl: url, brownouts: [] },
            activeBrownout: () => undefined,
          }
          const signal = createApiKeySignals({ settings, clock: { now: () => TEST_NOW }, realm: 'x' })
          assertValidSignals(signal(key).headers)
          const target = linkTarget(url)
          if (target !== undefined) assert.doesNotMatch(target, /[^\x21-\x7e]|[<>";,]/)
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('the issuer, the realm of every challenge header', () => {
  it('is refused at start unless it is plain ASCII with no quote', () => {
    for (const issuer of ['https://例え.jp', 'https://ks.example.com/a"b', 'https://ks.example.com/a\\b']) {
      assert.throws(() => readServeConfig(['--issuer', issuer], {}), {
        message: /--issuer\/KEYSHIFT_ISSUER: must be plain ASCII with no quote/,
      })
    }
    assert.equal(
      readServeConfig(['--issuer', 'https://xn--r8jz45g.jp/'], {}).issuer,
      'https://xn--r8jz45g.jp',
    )
  })
})
