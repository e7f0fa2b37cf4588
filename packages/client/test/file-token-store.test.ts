import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createFileTokenStore, type StoredToken } from '../src/index.ts'
import { createFakeClock } from './helpers/fake-clock.ts'
import { CLIENT_SECRET } from './helpers/fake-token-endpoint.ts'
import { createHarness } from './helpers/manager.ts'

const folder = mkdtempSync(join(tmpdir(), 'keyshift-client-store-'))
after(() => rmSync(folder, { recursive: true, force: true }))

const WALL = Date.UTC(2025, 0, 15, 8)
const wallNow = () => WALL

function token(name: string, expiresInMs = 86_399_000): StoredToken {
  return { access_token: name, token_type: 'bearer', issued_at: WALL, expires_at: WALL + expiresInMs }
}

describe('createFileTokenStore', () => {
  it('writes a 0600 JSON file with wall-clock times, through a temporary file that does not linger', async () => {
    const path = join(folder, 'nested', 'tokens.json')
    const store = createFileTokenStore(path, { wallNow })
    await store.save('k1', token('a'))
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { version: 1, tokens: { k1: token('a') } })
    assert.deepEqual(readdirSync(join(folder, 'nested')), ['tokens.json'])
    assert.deepEqual(await store.load('k1'), token('a'))
    assert.equal(await store.load('other'), undefined)
  })

  it('keeps the entries of several keys, even when saved concurrently', async () => {
    const store = createFileTokenStore(join(folder, 'many.json'), { wallNow })
    await Promise.all([
      store.save('k1', token('a')),
      store.save('k2', token('b')),
      store.save('k3', token('c')),
    ])
    assert.deepEqual(await Promise.all(['k1', 'k2', 'k3'].map((key) => store.load(key))), [
      token('a'),
      token('b'),
      token('c'),
    ])
  })

  it('drops expired entries of other keys when it rewrites the file', async () => {
    const path = join(folder, 'prune.json')
    const store = createFileTokenStore(path, { wallNow })
    await store.save('old', { ...token('a'), issued_at: WALL - 90_000_000, expires_at: WALL - 1 })
    await store.save('new', token('b'))
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')).tokens), ['new'])
  })

  it('removes an entry only if it still holds the token that failed', async () => {
    const store = createFileTokenStore(join(folder, 'remove.json'), { wallNow })
    await store.save('k', token('newer'))
    await store.remove('k', 'older')
    assert.deepEqual(await store.load('k'), token('newer'))
    await store.remove('k', 'newer')
    assert.equal(await store.load('k'), undefined)
  })

  it('reads a missing file as empty', async () => {
    assert.equal(await createFileTokenStore(join(folder, 'absent.json')).load('k'), undefined)
  })

  for (const [label, content] of [
    ['not JSON', 'eyJhbGciOiJFUzI1NiJ9 not json'],
    ['another version', '{"version":2,"tokens":{}}'],
    [
      'a malformed entry',
      '{"version":1,"tokens":{"k":{"access_token":"eyJhbGciOiJFUzI1NiJ9","issued_at":"x"}}}',
    ],
  ] as const) {
    it(`rejects a file that is ${label}, naming the path and never the content`, async () => {
      const path = join(folder, `bad-${label.replaceAll(' ', '-')}.json`)
      writeFileSync(path, content)
      await assert.rejects(createFileTokenStore(path).load('k'), (error: Error) => {
        assert.ok(error.message.includes(path))
        assert.ok(!error.message.includes('eyJhbGci'))
        return true
      })
    })
  }

  it('rejects a path it cannot read (a folder), with the reason', async () => {
    const path = join(folder, 'a-folder')
    mkdirSync(path)
    await assert.rejects(createFileTokenStore(path).load('k'), /EISDIR/)
  })

  it('never holds the client secret when a token manager writes to it', async () => {
    const path = join(folder, 'manager.json')
    const clock = createFakeClock()
    const { tokens } = createHarness(
      { store: createFileTokenStore(path, { wallNow: clock.wallNow }) },
      { clock },
    )
    await tokens.getToken()
    await tokens.close()
    const text = readFileSync(path, 'utf8')
    assert.ok(!text.includes(CLIENT_SECRET))
    const stored = JSON.parse(text).tokens[tokens.key]
    assert.equal(stored.expires_at - stored.issued_at, 86_399_000)
    assert.equal(stored.issued_at, clock.wallNow())
  })
})
