import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, describe, it } from 'node:test'
import {
  createFileTokenStore,
  createMemoryTokenStore,
  type TokenStore,
  tokenFingerprint,
} from '../src/index.ts'
import { createFakeClock, type FakeClock } from './helpers/fake-clock.ts'
import { CLIENT_SECRET, createFakeTokenEndpoint } from './helpers/fake-token-endpoint.ts'
import { createHarness, eventually, type Harness, REFRESH_AT_MS } from './helpers/manager.ts'

const harnesses: Harness[] = []
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.tokens.close()))
})
const folder = mkdtempSync(join(tmpdir(), 'keyshift-client-cache-'))
after(() => rmSync(folder, { recursive: true, force: true }))

function setup(...args: Parameters<typeof createHarness>): Harness {
  const harness = createHarness(...args)
  harnesses.push(harness)
  return harness
}

/** A file store that drops expired entries on the managers' fake wall clock, never on the real one. */
function fileStore(path: string, clock: FakeClock): TokenStore {
  return createFileTokenStore(path, { wallNow: () => clock.wallNow() })
}

/** A manager on a fresh fake clock, storing its tokens in the file at `path` on that clock. */
function setupOnFile(path: string, clock = createFakeClock()): Harness {
  return setup({ store: fileStore(path, clock) }, { clock })
}

describe('token manager: one token per key (token URL, client id, scope set, secret)', () => {
  it('sends the scopes space-separated, deduplicated', async () => {
    const { tokens, endpoint } = setup({ scope: ['core.invoice.read', 'core.common.read core.invoice.read'] })
    await tokens.getToken()
    assert.equal(endpoint.requests[0]?.form.get('scope'), 'core.invoice.read core.common.read')
  })

  it('shares a token between managers whose scope sets are equal in any order', async () => {
    const store = createMemoryTokenStore()
    const endpoint = createFakeTokenEndpoint()
    const a = setup({ store, scope: 'core.invoice.read core.common.read' }, { endpoint })
    const b = setup(
      { store, scope: ['core.common.read', 'core.invoice.read', 'core.invoice.read'] },
      { endpoint },
    )
    assert.equal(a.tokens.key, b.tokens.key)
    assert.equal(await b.tokens.getToken(), await a.tokens.getToken().then(() => b.tokens.getToken()))
    assert.equal(endpoint.requests.length, 1)
  })

  it('gets a new token, never the stored one, when the scope changes', async () => {
    const store = createMemoryTokenStore()
    const endpoint = createFakeTokenEndpoint()
    const before = await setup({ store, scope: 'core.invoice.read' }, { endpoint }).tokens.getToken()
    const changed = setup({ store, scope: 'core.invoice.read core.invoice.write' }, { endpoint })
    assert.notEqual(await changed.tokens.getToken(), before)
    assert.equal(endpoint.requests.length, 2)
    assert.equal(endpoint.requests[1]?.form.get('scope'), 'core.invoice.read core.invoice.write')
  })

  it('gets a new token when the secret changes (the key hashes the secret, never holds it)', async () => {
    const store = createMemoryTokenStore()
    const endpoint = createFakeTokenEndpoint()
    const old = setup({ store }, { endpoint })
    const rotated = setup({ store, clientSecret: `${CLIENT_SECRET.slice(1)}0` }, { endpoint })
    assert.notEqual(old.tokens.key, rotated.tokens.key)
    assert.match(old.tokens.key, /^[0-9a-f]{64}$/)
    assert.notEqual(await rotated.tokens.getToken(), await old.tokens.getToken())
    assert.equal(endpoint.requests.length, 2)
  })
})

describe('token manager: invalidate(token)', () => {
  it('drops the current token: the next getToken() asks for a new one, once for concurrent callers', async () => {
    const { tokens, endpoint, eventsNamed } = setup()
    const first = await tokens.getToken()
    tokens.invalidate(first)
    tokens.invalidate(first)
    const next = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()])
    assert.deepEqual(next, [endpoint.issued[1], endpoint.issued[1], endpoint.issued[1]])
    assert.equal(endpoint.requests.length, 2)
    assert.deepEqual(eventsNamed('invalidated'), [{ fingerprint: tokenFingerprint(first) }])
  })

  it('does not drop a newer token when invalidated with an older one (a late 401)', async () => {
    const { tokens, endpoint, clock, eventsNamed } = setup()
    const old = await tokens.getToken()
    await clock.advance(REFRESH_AT_MS)
    const fresh = await tokens.getToken()
    assert.notEqual(fresh, old)
    tokens.invalidate(old)
    assert.equal(await tokens.getToken(), fresh)
    assert.equal(endpoint.requests.length, 2)
    assert.equal(eventsNamed('invalidated').length, 0)
  })
})

describe('token manager: persistence across restarts', () => {
  it('reuses a persisted token after a restart, with no request, for what is left of its life', async () => {
    const path = join(folder, 'restart.json')
    const first = setupOnFile(path)
    const token = await first.tokens.getToken()
    await first.tokens.close()
    const restarted = setupOnFile(path, createFakeClock(5, first.clock.wallNow() + 3_600_000))
    assert.equal(await restarted.tokens.getToken(), token)
    assert.equal(restarted.endpoint.requests.length, 0)
    assert.deepEqual(restarted.eventsNamed('token')[0], {
      fingerprint: tokenFingerprint(token),
      expiresIn: 86399 - 3600,
      refreshInMs: REFRESH_AT_MS - 3_600_000,
      // To its hard expiry, 60 s before the end of its 86 399 s, from an hour in.
      servableForMs: (86399 - 60) * 1000 - 3_600_000,
      source: 'store',
    })
  })

  it('serves a persisted token past its refresh point and refreshes it in the background', async () => {
    const path = join(folder, 'aging.json')
    const first = setupOnFile(path)
    const token = await first.tokens.getToken()
    await first.tokens.close()
    const clock = createFakeClock(5, first.clock.wallNow() + 21 * 3_600_000)
    const restarted = setupOnFile(path, clock)
    assert.equal(await restarted.tokens.getToken(), token)
    await clock.advance(0)
    await eventually(() => restarted.eventsNamed('token').length === 2, clock)
    assert.equal(restarted.endpoint.requests.length, 1)
    assert.equal(await restarted.tokens.getToken(), restarted.endpoint.issued[0])
  })

  it('asks for a new token when the persisted one has expired', async () => {
    const path = join(folder, 'expired.json')
    const first = setupOnFile(path)
    await first.tokens.getToken()
    await first.tokens.close()
    const restarted = setupOnFile(path, createFakeClock(5, first.clock.wallNow() + 86_399_000))
    assert.equal(await restarted.tokens.getToken(), restarted.endpoint.issued[0])
  })

  it('keeps the tokens of two keys in one file, each readable back', async () => {
    const path = join(folder, 'two-keys.json')
    const clock = createFakeClock()
    const endpoint = createFakeTokenEndpoint()
    // On the real clock, the second write would drop the first token as expired (issued 2025-01-15).
    const store = fileStore(path, clock)
    const invoices = setup({ store, scope: 'core.invoice.read' }, { clock, endpoint })
    const suppliers = setup({ store, scope: 'core.supplier.read' }, { clock, endpoint })
    const tokens = [await invoices.tokens.getToken(), await suppliers.tokens.getToken()]
    await invoices.tokens.close()
    await suppliers.tokens.close()
    const stored = await Promise.all([invoices, suppliers].map((h) => store.load(h.tokens.key)))
    assert.deepEqual(
      stored.map((token) => token?.access_token),
      tokens,
    )
  })

  it('removes an invalidated token from the store, so a restart does not reuse it', async () => {
    const path = join(folder, 'invalidated.json')
    const first = setupOnFile(path)
    const token = await first.tokens.getToken()
    first.tokens.invalidate(token)
    await first.tokens.close()
    assert.ok(!readFileSync(path, 'utf8').includes(token))
  })

  it('treats a corrupt store as a miss, and warns without quoting it', async () => {
    const path = join(folder, 'corrupt.json')
    writeFileSync(path, '{"version":1,"tokens":{"abc": eyJhbGciOiJFUzI1NiJ9.secret-looking')
    const { tokens, endpoint, logger } = setupOnFile(path)
    assert.equal(await tokens.getToken(), endpoint.issued[0])
    const warning = logger.lines.find((line) => line.level === 'warn')
    assert.match(String(warning?.message), /treated as a miss/)
    assert.ok(!JSON.stringify(logger.lines).includes('eyJhbGci'))
    await tokens.close()
    assert.ok(JSON.parse(readFileSync(path, 'utf8')).tokens[tokens.key], 'the next write repairs the file')
  })

  it('treats a store that throws as a miss, and a failing save as a warning', async () => {
    const broken: TokenStore = {
      load: () => Promise.reject(new Error('disk on fire')),
      save: () => Promise.reject(new Error('disk full')),
      remove: () => Promise.reject(new Error('disk gone')),
    }
    const { tokens, logger } = setup({ store: broken })
    assert.equal(typeof (await tokens.getToken()), 'string')
    await tokens.close()
    const warnings = logger.lines.filter((line) => line.level === 'warn').map((line) => line.message)
    assert.deepEqual(warnings, ['token store unusable; treated as a miss', 'cannot save the token'])
  })
})
