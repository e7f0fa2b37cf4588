import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SETUP_PAGES } from '../src/setup-ui/routes.ts'
import { startInstance, type TestInstance } from './instance.ts'
import { storeBackends } from './stores.ts'

const [sqlite] = storeBackends as [NonNullable<(typeof storeBackends)[number]>]

describe('serving the Setup pages', () => {
  let built: TestInstance
  let unbuilt: TestInstance
  let root: string
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'keyshift-web-'))
    await mkdir(join(root, 'assets'))
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Keyshift Setup</title>')
    await writeFile(join(root, 'assets', 'app-ABC123.js'), 'console.log(1)')
    await writeFile(join(root, 'assets', 'app-ABC123.css'), 'body{}')
    built = await startInstance(sqlite, { setupUi: { root } })
    unbuilt = await startInstance(sqlite, { setupUi: { root: join(root, 'nowhere') } })
  })
  after(async () => {
    await built.close()
    await unbuilt.close()
    await rm(root, { recursive: true, force: true })
  })

  it('answers every Setup path with the page, never cached, under a strict CSP', async () => {
    for (const path of SETUP_PAGES) {
      const response = await built.instance.app.inject({ method: 'GET', url: path })
      assert.equal(response.statusCode, 200, path)
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8')
      assert.equal(response.headers['cache-control'], 'no-store')
      assert.match(
        String(response.headers['content-security-policy']),
        /default-src 'none'; script-src 'self'/,
      )
      assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/)
      assert.equal(response.headers['x-content-type-options'], 'nosniff')
      assert.equal(response.body, '<!doctype html><title>Keyshift Setup</title>')
    }
  })

  it('serves hashed assets with their type, cached for good; anything else is a 404', async () => {
    const script = await built.instance.app.inject({ method: 'GET', url: '/setup/assets/app-ABC123.js' })
    assert.equal(script.statusCode, 200)
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8')
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable')
    const style = await built.instance.app.inject({ method: 'GET', url: '/setup/assets/app-ABC123.css' })
    assert.equal(style.headers['content-type'], 'text/css; charset=utf-8')
    for (const url of [
      '/setup/assets/nope.js',
      '/setup/assets/..%2Findex.html',
      '/setup/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    ]) {
      const response = await built.instance.app.inject({ method: 'GET', url })
      assert.equal(response.statusCode, 404, url)
    }
  })

  it('says how to build the pages when they are not built', async () => {
    const response = await unbuilt.instance.app.inject({ method: 'GET', url: '/api_keys' })
    assert.equal(response.statusCode, 503)
    assert.match(response.json().detail, /npm run build -w @keyshift\/web/)
  })

  it('answers problem details for a page under /oauth2/, not an OAuth error (the pages render their own errors)', async () => {
    for (const url of ['/oauth2/clients', '/oauth2/scopes']) {
      const response = await unbuilt.instance.app.inject({ method: 'GET', url })
      assert.equal(response.statusCode, 503, url)
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', url)
      assert.equal(response.json().status, 503, url)
      assert.equal(response.json().error, undefined, url)
    }
  })
})
