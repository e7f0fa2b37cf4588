import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import * as oidc from 'openid-client'
import { createTestDatabase, postgresSkip } from '../packages/server/test/test-database.ts'
import { curlToken, REPO, type ServedInstance, serve } from './support/serve.ts'

const run = promisify(execFile)
const ADMIN_PASSWORD = 'e2e admin password 1'

describe('keyshift serve, as a user runs it', () => {
  let instance: ServedInstance

  before(async () => {
    instance = await serve(['--demo'], { env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD } })
  })
  after(() => instance.stop())

  it('prints the URL, the admin user, where the password came from and a ready-to-paste curl', () => {
    const output = instance.output()
    assert.match(output, /Keyshift instance listening on http:\/\/127\.0\.0\.1:\d+/)
    assert.match(output, /admin: +user "admin", password from KEYSHIFT_ADMIN_PASSWORD/)
    // bin/keyshift.cjs leaves the event loop a core: the pool that signs has one thread fewer.
    const threads = Math.max(1, availableParallelism() - 1)
    assert.match(
      output,
      new RegExp(`signing: +ES256 on libuv's thread pool of ${threads} \\(UV_THREADPOOL_SIZE\\)`),
    )
    assert.doesNotMatch(output, /tokens: /)
    assert.match(
      output,
      /curl -X POST -H "Content-Type: application\/x-www-form-urlencoded" -d "client_id=[0-9a-f]{32}&grant_type=client_credentials&scope=[^"]+&client_secret=\$\(cat [^)]+demo-client-secret\.txt\)" http:\/\/127\.0\.0\.1:\d+\/oauth2\/token/,
    )
  })

  it('keeps the demo secret in a file only its owner can read', async () => {
    const mode = (await stat(join(instance.dataDir, 'demo-client-secret.txt'))).mode & 0o777
    assert.equal(mode, 0o600)
  })

  it("answers the exact curl command of Coupa's transition guide with a 24-hour bearer token", async () => {
    const { clientId, clientSecret, scope } = await instance.demoClient()
    const body = await curlToken(`${instance.url}/oauth2/token`, { clientId, clientSecret, scope })
    assert.equal(body.token_type, 'bearer')
    assert.equal(body.expires_in, 86399)
    assert.equal(body.scope, scope)
    assert.equal(String(body.access_token).split('.').length, 3)
  })

  it("runs the banner's own curl line through a shell", async () => {
    const line = instance
      .output()
      .split('\n')
      .find((l) => l.trim().startsWith('curl '))
    assert.ok(line)
    // The line names the secret file relative to the folder the server was started in (the repo).
    const { stdout } = await run('sh', ['-c', line.trim()], { cwd: REPO })
    const body = JSON.parse(stdout)
    assert.equal(body.token_type, 'bearer')
  })

  for (const [method, auth] of [
    ['client_secret_post', oidc.ClientSecretPost],
    ['client_secret_basic', oidc.ClientSecretBasic],
  ] as const) {
    it(`works with openid-client: discovery, client credentials (${method}), introspection, revocation`, async () => {
      const { clientId, clientSecret } = await instance.demoClient()
      const config = await oidc.discovery(new URL(instance.url), clientId, undefined, auth(clientSecret), {
        execute: [oidc.allowInsecureRequests],
      })
      assert.equal(config.serverMetadata().issuer, instance.url)
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'core.invoice.read' })
      assert.equal(tokens.token_type, 'bearer')
      assert.equal(tokens.scope, 'core.invoice.read')
      assert.equal(tokens.expires_in, 86399)

      const active = await oidc.tokenIntrospection(config, tokens.access_token)
      assert.equal(active.active, true)
      assert.equal(active.client_id, clientId)
      await oidc.tokenRevocation(config, tokens.access_token)
      assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false)

      await assert.rejects(
        oidc.clientCredentialsGrant(config, { scope: 'core.user.write' }),
        (error: oidc.ResponseBodyError) => error.error === 'invalid_scope',
      )
    })
  }

  it("serves the demo data on the core API with the demo client's token, in JSON and XML", async () => {
    const { clientId, clientSecret } = await instance.demoClient()
    const token = await requestToken(instance.url, clientId, clientSecret)
    const { access_token } = (await token.json()) as { access_token: string }
    const { stdout } = await run('curl', [
      '-s',
      '-g',
      '-H',
      `Authorization: Bearer ${access_token}`,
      '-H',
      'Accept: application/json',
      `${instance.url}/api/invoices?status=approved&limit=2&supplier[name][contains]=a`,
    ])
    const invoices = JSON.parse(stdout)
    assert.equal(invoices.length, 2)
    assert.ok(invoices.every((i: { status: string }) => i.status === 'approved'))
    const xml = await run('curl', [
      '-s',
      '-H',
      `Authorization: Bearer ${access_token}`,
      `${instance.url}/api/suppliers/1`,
    ])
    assert.match(xml.stdout, /^<\?xml version="1.0" encoding="UTF-8"\?><supplier><id type="integer">1<\/id>/)
  })

  it('keeps an acknowledged client after kill -9 and a restart on the same data folder', async () => {
    const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`
    const created = await fetch(`${instance.url}/admin/v1/oauth2/clients`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Durable', scopes: ['core.user.read'], login: 'durable' }),
    })
    assert.equal(created.status, 201)
    const { client_id, client_secret } = (await created.json()) as {
      client_id: string
      client_secret: string
    }
    instance.process.kill('SIGKILL')
    await new Promise((done) => instance.process.once('exit', done))

    // A thread pool size the user chose is kept.
    const again = await serve([], { dataDir: instance.dataDir, env: { UV_THREADPOOL_SIZE: '3' } })
    try {
      assert.match(again.output(), /signing: +ES256 on libuv's thread pool of 3 /)
      const response = await requestToken(again.url, client_id, client_secret)
      assert.equal(response.status, 200)
      assert.match(again.output(), /admin: +user "admin" \(already set up\)/)
      assert.equal(
        await readFile(join(instance.dataDir, 'admin-password.txt'), 'utf8').catch(() => 'absent'),
        'absent',
      )
    } finally {
      await again.stop()
    }
  })
})

describe('keyshift serve --token-lifetime', () => {
  it("issues tokens that expire sooner than Coupa's, says so at start, and keeps the default otherwise", async () => {
    const instance = await serve(['--demo', '--token-lifetime', '300'])
    try {
      assert.match(
        instance.output(),
        /tokens: +expire after 300 s \(--token-lifetime; Coupa's after 86399 s\)/,
      )
      const { clientId, clientSecret } = await instance.demoClient()
      const response = await requestToken(instance.url, clientId, clientSecret)
      const body = (await response.json()) as { access_token: string; expires_in: number }
      assert.equal(body.expires_in, 300)
      const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString())
      assert.equal(claims.exp - claims.iat, 300)
    } finally {
      await instance.stop()
    }
  })
})

describe('keyshift serve with KEYSHIFT_SECRETS_KEY', () => {
  it('encrypts the signing keys and the pepper; a restart without the key refuses to start and says why', async () => {
    const key = randomBytes(32).toString('base64')
    const first = await serve(['--demo'], { env: { KEYSHIFT_SECRETS_KEY: key } })
    const { dataDir } = first
    try {
      assert.match(
        first.output(),
        /secrets: +signing keys and pepper encrypted with KEYSHIFT_SECRETS_KEY \(AES-256-GCM, key \S+\)/,
      )
      assert.ok(!first.output().includes(key))
      const { clientId, clientSecret } = await first.demoClient()
      first.process.kill('SIGTERM')
      await new Promise((done) => first.process.once('exit', done))

      await assert.rejects(
        serve([], { dataDir }),
        /exited with 1:[\s\S]*keyshift serve: secret_pepper is encrypted at rest with a key that is not configured \(key \S+\): set KEYSHIFT_SECRETS_KEY/,
      )
      // Changing keys: the new one, and the old one to open what it sealed.
      const newKey = randomBytes(32).toString('hex')
      const again = await serve([], {
        dataDir,
        env: { KEYSHIFT_SECRETS_KEY: newKey, KEYSHIFT_SECRETS_KEY_PREVIOUS: key },
      })
      try {
        assert.match(again.output(), /secrets: .*; KEYSHIFT_SECRETS_KEY_PREVIOUS \(key \S+\) only decrypts/)
        assert.match(
          again.output(),
          /"rewritten":\["secret_pepper","signing key [\w-]+"\].*secrets at rest rewritten/,
        )
        assert.equal((await requestToken(again.url, clientId, clientSecret)).status, 200)
        assert.ok(!again.output().includes(key) && !again.output().includes(newKey))
      } finally {
        await again.stop()
      }
    } finally {
      await first.stop()
    }
  })
})

describe('keyshift serve --database-url --demo', { skip: postgresSkip }, () => {
  it('creates the data folder for the password and demo secret files, which PostgreSQL does not need', async () => {
    const database = await createTestDatabase('ks_e2e')
    const parent = await mkdtemp(join(tmpdir(), 'keyshift-pg-demo-'))
    const dataDir = join(parent, 'not', 'there', 'yet')
    const instance = await serve(['--demo', '--database-url', database.databaseUrl], { dataDir })
    try {
      assert.match(instance.output(), /store: +PostgreSQL/)
      assert.equal((await stat(dataDir)).mode & 0o777, 0o700)
      assert.equal((await stat(join(dataDir, 'demo-client-secret.txt'))).mode & 0o777, 0o600)
      const { clientId, clientSecret } = await instance.demoClient()
      const response = await requestToken(instance.url, clientId, clientSecret)
      assert.equal(response.status, 200)
    } finally {
      await instance.stop()
      await database.drop()
      await rm(parent, { recursive: true, force: true })
    }
  })
})

/** A client-credentials token request with client_secret_post, as an integration sends it. */
function requestToken(base: string, clientId: string, clientSecret: string): Promise<Response> {
  return fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  })
}
