/**
 * Secrets never reach the log: client secrets (old and new), access tokens, the admin password,
 * Basic credentials and the instance pepper, neither through the in-process logger nor through
 * the output of a real `keyshift serve` process.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { createLogger, redactUrl } from '../src/logger.ts'
import { createSqliteStore } from '../src/store/sqlite.ts'
import { ADMIN_PASSWORD, adminAuth, basicHeader, startInstance, type TestInstance } from './instance.ts'
import { storeBackends } from './stores.ts'

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const MAIN = pathToFileURL(fileURLToPath(new URL('../src/main.ts', import.meta.url))).href

interface LogLine {
  msg?: string
  reason?: string
  client_id?: string
  req?: { method?: string; url?: string }
  [field: string]: unknown
}

/** Everything a secret may look like once written: itself, URL-encoded, as a form value. */
function spellings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')]
}

/** Fails naming the secret's label (never the secret) and the first line that holds it. */
function assertNoSecrets(output: string, secrets: Record<string, string>): void {
  for (const [label, secret] of Object.entries(secrets)) {
    assert.ok(secret.length >= 8, `${label} is too short to search for`)
    for (const spelling of spellings(secret)) {
      const line = output.split('\n').find((l) => l.includes(spelling))
      assert.equal(
        line,
        undefined,
        `the ${label} is in the log: ${line?.replace(spelling, '<HERE>').slice(0, 400)}`,
      )
    }
  }
}

/** An access token and its signature: header and payload are only encoded claims, the signature is the secret. */
function tokenSecrets(label: string, token: string): Record<string, string> {
  return { [label]: token, [`${label} signature`]: token.split('.')[2] ?? token }
}

const basicPart = (header: string) => header.slice('Basic '.length)

interface Client {
  id: string
  clientId: string
  secret: string
  /** The Authorization header of the client's credentials. */
  basic: string
  /** client_id and client_secret as form parameters. */
  body: string
}

for (const backend of storeBackends) {
  describe(`the log of an instance on ${backend.name}`, { skip: backend.skip }, () => {
    const lines: string[] = []
    const sent: { method: string; url: string }[] = []
    const secrets: Record<string, string> = {}
    let t: TestInstance
    let log: LogLine[]

    const send = (request: InjectOptions & { method: string; url: string }) => {
      sent.push({ method: request.method, url: request.url })
      return t.instance.app.inject(request)
    }
    const form = (url: string, body: string, authorization?: string) =>
      send({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(authorization && { authorization }),
        },
        payload: body,
      })
    const admin = (method: string, url: string, body?: unknown, authorization = adminAuth) =>
      send({
        method,
        url: `/admin/v1${url}`,
        headers: { authorization },
        ...(body !== undefined && { payload: body as object }),
      })

    /** Sends, and fails unless the answer has `status`. */
    const expect = async (status: number, response: Promise<LightMyRequestResponse>) => {
      const answer = await response
      assert.equal(answer.statusCode, status, answer.body)
      return answer
    }

    before(async () => {
      const logger = createLogger({
        level: 'trace',
        destination: { write: (line: string) => lines.push(line) },
      })
      t = await startInstance(backend, { logger })
      // A day of an integration's life: every path that handles a secret, right and wrong.
      const client = await createClient()
      const token = await useClient(client)
      const newSecret = await rotateSecret(client)
      await makeMistakes(client, token, newSecret)
      log = lines.map((line) => JSON.parse(line))
    })
    after(() => t.close())

    async function createClient(): Promise<Client> {
      const created = await expect(
        201,
        admin('POST', '/oauth2/clients', {
          name: 'Invoice export',
          scopes: ['core.invoice.read', 'core.common.read'],
          login: 'invoice-export',
        }),
      )
      const { id, client_id, client_secret } = created.json()
      const basic = basicHeader(client_id, client_secret)
      Object.assign(secrets, {
        'client secret': client_secret,
        'Basic credentials': basicPart(basic),
        'admin password': ADMIN_PASSWORD,
        'admin Basic credentials': basicPart(adminAuth),
        pepper: await t.instance.store.getOrInitSetting('secret_pepper', 'x'),
      })
      return {
        id,
        clientId: client_id,
        secret: client_secret,
        basic,
        body: `client_id=${client_id}&client_secret=${client_secret}`,
      }
    }

    /** Tokens by post and by Basic, wrong secrets, secrets in the URL, introspection, revocation. */
    async function useClient(client: Client): Promise<string> {
      const byPost = await expect(200, form('/oauth2/token', `grant_type=client_credentials&${client.body}`))
      const byBasic = await expect(
        200,
        form('/oauth2/token', 'grant_type=client_credentials&scope=core.common.read', client.basic),
      )
      const token = byPost.json().access_token
      Object.assign(
        secrets,
        tokenSecrets('access token', token),
        tokenSecrets('second access token', byBasic.json().access_token),
      )

      const wrong = `${client.secret.slice(0, -4)}beef`
      await expect(
        401,
        form(
          '/oauth2/token',
          `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${wrong}`,
        ),
      )
      await expect(
        401,
        form('/oauth2/token', 'grant_type=client_credentials', basicHeader(client.clientId, wrong)),
      )
      await expect(
        400,
        form(
          `/oauth2/token?client_secret=${client.secret}`,
          `grant_type=client_credentials&client_id=${client.clientId}`,
        ),
      )
      await expect(400, form(`/oauth2/introspect?token=${token}`, client.body))

      const introspected = await expect(200, form('/oauth2/introspect', `token=${token}&${client.body}`))
      assert.equal(introspected.json().active, true)
      await expect(200, form('/oauth2/revoke', `token=${token}&token_type_hint=access_token`, client.basic))
      return token
    }

    /** A new secret, used; the old one still works during its grace period. */
    async function rotateSecret(client: Client): Promise<string> {
      const rotated = await expect(
        200,
        admin('POST', `/oauth2/clients/${client.id}/secret`, { grace_period_seconds: 3600 }),
      )
      const newSecret = rotated.json().client_secret
      Object.assign(secrets, {
        'new client secret': newSecret,
        'new Basic credentials': basicPart(basicHeader(client.clientId, newSecret)),
      })
      const withNew = await expect(
        200,
        form(
          '/oauth2/token',
          `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${newSecret}`,
        ),
      )
      Object.assign(secrets, tokenSecrets('token of the new secret', withNew.json().access_token))
      await expect(200, form('/oauth2/token', `grant_type=client_credentials&${client.body}`))
      return newSecret
    }

    /** 404s, bad bodies and a wrong admin password, each carrying a secret somewhere. */
    async function makeMistakes(client: Client, token: string, newSecret: string): Promise<void> {
      await expect(404, send({ method: 'GET', url: `/nowhere?client_secret=${newSecret}&token=${token}` }))
      await expect(404, form('/oauth2/tokens', `grant_type=client_credentials&${client.body}`))
      await expect(404, admin('GET', `/oauth2/clients/${'0'.repeat(32)}`))
      await expect(404, admin('GET', `/nothing?password=${encodeURIComponent(ADMIN_PASSWORD)}`))
      await expect(
        400,
        send({
          method: 'POST',
          url: '/oauth2/token',
          headers: { 'content-type': 'application/json', authorization: client.basic },
          payload: JSON.stringify({ grant_type: 'client_credentials', client_secret: client.secret }),
        }),
      )
      await expect(400, form('/oauth2/token', `${client.body}&client_secret=${client.secret}`))
      await expect(
        413,
        form('/oauth2/token', `grant_type=client_credentials&${client.body}&pad=${'x'.repeat(17_000)}`),
      )
      await expect(400, form(`/oauth2/token%zz?client_secret=${client.secret}`, client.body))
      await expect(
        400,
        send({
          method: 'POST',
          url: '/admin/v1/oauth2/clients',
          headers: { authorization: adminAuth, 'content-type': 'application/json' },
          payload: `{"name": "x", "client_secret": "${client.secret}"`,
        }),
      )
      await expect(400, admin('PATCH', `/oauth2/clients/${client.id}`, { client_secret: newSecret }))
      await expect(
        401,
        admin('GET', '/oauth2/clients', undefined, basicHeader('admin', `${ADMIN_PASSWORD}!`)),
      )

      // The Setup pages: sign-in, a change with the session cookie and CSRF token, sign-out.
      await expect(
        401,
        send({
          method: 'POST',
          url: '/admin/v1/session',
          payload: { username: 'admin', password: `${ADMIN_PASSWORD}?` },
        }),
      )
      const signIn = await expect(
        201,
        send({
          method: 'POST',
          url: '/admin/v1/session',
          payload: { username: 'admin', password: ADMIN_PASSWORD },
        }),
      )
      const sessionId =
        /keyshift_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))?.[1] ?? 'missing'
      const csrf = signIn.json().csrf_token
      secrets['session cookie'] = sessionId
      secrets['CSRF token'] = csrf
      const cookie = `keyshift_session=${sessionId}`
      await expect(
        200,
        send({
          method: 'POST',
          url: `/admin/v1/oauth2/clients/${client.id}/activate`,
          headers: { cookie, 'x-csrf-token': csrf },
        }),
      )
      await expect(
        403,
        send({
          method: 'POST',
          url: `/admin/v1/oauth2/clients/${client.id}/activate`,
          headers: { cookie, 'x-csrf-token': `${csrf}x` },
        }),
      )
      await expect(
        204,
        send({ method: 'DELETE', url: '/admin/v1/session', headers: { cookie, 'x-csrf-token': csrf } }),
      )
    }

    it('holds no client secret, access token, admin password, Basic credentials, session cookie, CSRF token or pepper', () => {
      assertNoSecrets(lines.join(''), secrets)
    })

    it('logs every request by method and redacted URL', () => {
      for (const { method, url } of sent) {
        const line = log.find((l) => l.req?.method === method && l.req.url === redactUrl(url))
        assert.ok(line, `no log line for ${method} ${redactUrl(url)}`)
      }
      assert.ok(log.some((l) => l.req?.url?.includes('client_secret=[REDACTED]')))
      assert.ok(log.some((l) => l.req?.url?.includes('password=[REDACTED]')))
    })

    it('logs the failed authentications with their reason and client_id', () => {
      const failures = log.filter((l) => l.msg === 'client authentication failed')
      assert.equal(failures.length, 2)
      for (const line of failures) {
        assert.equal(line.reason, 'wrong secret')
        assert.match(String(line.client_id), /^[0-9a-f]{32}$/)
      }
    })

    it('logs the admin actions and the revocation', () => {
      for (const msg of ['OAuth client created', 'access token revoked', 'OAuth client secret rotated']) {
        assert.ok(
          log.some((l) => l.msg === msg),
          `no "${msg}" line`,
        )
      }
    })
  })
}

/** Output of a child process, and a way to wait until it says something. */
function collect(child: ChildProcess) {
  let output = ''
  let stdout = ''
  const waiters: (() => void)[] = []
  const add = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    output += chunk
    if (stream === 'stdout') stdout += chunk
    for (const wake of waiters.splice(0)) wake()
  }
  child.stdout?.on('data', add('stdout'))
  child.stderr?.on('data', add('stderr'))
  child.on('exit', () => {
    for (const wake of waiters.splice(0)) wake()
  })
  return {
    get output() {
      return output
    },
    get stdout() {
      return stdout
    },
    /** Resolves with the match once stdout matches `pattern`; rejects on exit or after `ms`. */
    async waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray> {
      const deadline = performance.now() + ms
      for (;;) {
        const match = pattern.exec(stdout)
        if (match) return match
        if (child.exitCode !== null || child.signalCode !== null || performance.now() > deadline) {
          throw new Error(`no ${pattern} in the output of keyshift serve:\n${output.slice(-2000)}`)
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 200).unref()
        })
      }
    },
  }
}

const mode = (path: string) => statSync(path).mode & 0o777

// A real process on a real port, on the embedded SQLite store: what an operator sees in a terminal.
describe('the output of a keyshift serve process (sqlite)', () => {
  const adminPassword = `process-admin-${Date.now()}-password`
  const secrets: Record<string, string> = {
    'admin password': adminPassword,
    'admin Basic credentials': basicPart(basicHeader('admin', adminPassword)),
  }
  let folder: string
  let dataDir: string
  let child: ChildProcess
  let out: ReturnType<typeof collect>
  let exitCode: number | null

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'keyshift-logs-'))
    dataDir = join(folder, 'data')
    const env: NodeJS.ProcessEnv = { ...process.env, KEYSHIFT_ADMIN_PASSWORD: adminPassword }
    for (const name of [
      'DATABASE_URL',
      'PORT',
      'HOST',
      'KEYSHIFT_DATA_DIR',
      'KEYSHIFT_ISSUER',
      'LOG_LEVEL',
    ]) {
      delete env[name]
    }
    const argv = ['--port', '0', '--data', dataDir, '--demo', '--log-level', 'trace']
    const script = `import(${JSON.stringify(MAIN)}).then((m) => m.main(${JSON.stringify(argv)}, process.env))`
    child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    out = collect(child)
    try {
      await session()
    } finally {
      exitCode = await stop()
    }
    secrets.pepper = await readPepper()
  })
  after(() => rm(folder, { recursive: true, force: true }))

  /** SIGTERM, then the exit code; SIGKILL and null when it does not stop within 10 s. */
  async function stop(): Promise<number | null> {
    if (child.exitCode !== null) return child.exitCode
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    const [code] = await exited
    clearTimeout(timer)
    return code as number | null
  }

  /** Fetches, and fails unless the answer has `status`. */
  async function expect(status: number, response: Promise<Response>): Promise<Response> {
    const answer = await response
    assert.equal(answer.status, status, `${answer.url}: ${await answer.clone().text()}`)
    return answer
  }

  /** Reads the banner and the demo client's secret file, then acts as the demo client and as admin. */
  async function session(): Promise<void> {
    const [, issuer = ''] = await out.waitFor(
      /Keyshift instance listening on (http:\/\/127\.0\.0\.1:\d+)\n/,
      30_000,
    )
    const [, clientId = ''] = await out.waitFor(/-d "client_id=([0-9a-f]{32})&.*\n/, 5000)
    const secret = (await readFile(join(dataDir, 'demo-client-secret.txt'), 'utf8')).trim()
    const basic = basicHeader(clientId, secret)
    Object.assign(secrets, { 'demo client secret': secret, 'demo Basic credentials': basicPart(basic) })
    // The legacy API keys of the demo transition, in their 0600 file only.
    const demoKeys = (await readFile(join(dataDir, 'demo-api-keys.txt'), 'utf8')).split('\n')
    for (const [name, key] of demoKeys.filter((l) => /=/.test(l)).map((l) => l.split('='))) {
      if (name && key) secrets[`demo API key ${name}`] = key
    }
    assert.equal(Object.keys(secrets).filter((label) => label.startsWith('demo API key')).length, 4)
    await actAsClient(issuer, clientId, secret)
    await actAsAdmin(issuer, clientId)
  }

  async function actAsClient(issuer: string, clientId: string, secret: string): Promise<void> {
    const post = (path: string, body: string, authorization?: string) =>
      fetch(`${issuer}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(authorization && { authorization }),
        },
        body,
      })
    const credentials = `client_id=${clientId}&client_secret=${secret}`
    const byPost = await expect(200, post('/oauth2/token', `grant_type=client_credentials&${credentials}`))
    const byBasic = await expect(
      200,
      post('/oauth2/token', 'grant_type=client_credentials', basicHeader(clientId, secret)),
    )
    const { access_token: token } = (await byPost.json()) as { access_token: string }
    const { access_token: second } = (await byBasic.json()) as { access_token: string }
    Object.assign(secrets, tokenSecrets('access token', token), tokenSecrets('second access token', second))
    await expect(
      401,
      post(
        '/oauth2/token',
        `grant_type=client_credentials&client_id=${clientId}&client_secret=${'0'.repeat(64)}`,
      ),
    )
    await expect(
      400,
      post(`/oauth2/token?client_secret=${secret}`, `grant_type=client_credentials&client_id=${clientId}`),
    )
    await expect(200, post('/oauth2/introspect', `token=${token}&${credentials}`))
  }

  /** Lists the clients, rotates the demo client's secret, and signs in with a wrong password. */
  async function actAsAdmin(issuer: string, clientId: string): Promise<void> {
    const authorization = basicHeader('admin', adminPassword)
    const clients = await expect(
      200,
      fetch(`${issuer}/admin/v1/oauth2/clients`, { headers: { authorization } }),
    )
    const { clients: list } = (await clients.json()) as { clients: { id: string; client_id: string }[] }
    const demo = list.find((c) => c.client_id === clientId)
    assert.ok(demo)
    const rotated = await expect(
      200,
      fetch(`${issuer}/admin/v1/oauth2/clients/${demo.id}/secret`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: '{}',
      }),
    )
    const { client_secret } = (await rotated.json()) as { client_secret: string }
    secrets['rotated demo client secret'] = client_secret
    const wrong = basicHeader('admin', `${adminPassword}x`)
    await expect(401, fetch(`${issuer}/admin/v1/oauth2/clients`, { headers: { authorization: wrong } }))
  }

  /** The pepper the process kept in its store, read once it has stopped. */
  async function readPepper(): Promise<string> {
    const store = createSqliteStore({ dataDir })
    try {
      await store.migrate()
      return await store.getOrInitSetting('secret_pepper', 'x')
    } finally {
      await store.close()
    }
  }

  it('stops cleanly on SIGTERM', () => {
    assert.equal(exitCode, 0, out.output.slice(-2000))
  })

  it('prints no secret, token, password, Basic credentials or pepper', () => {
    assert.ok(secrets.pepper && secrets.pepper !== 'x')
    assertNoSecrets(out.output, secrets)
  })

  it('logs the requests and the failed authentication', () => {
    const log: LogLine[] = out.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
    assert.ok(log.some((l) => l.req?.method === 'POST' && l.req.url === '/oauth2/token'))
    assert.ok(log.some((l) => l.req?.url === '/oauth2/token?client_secret=[REDACTED]'))
    assert.ok(log.some((l) => l.req?.url === '/admin/v1/oauth2/clients'))
    assert.ok(log.some((l) => l.msg === 'client authentication failed' && l.reason === 'wrong secret'))
  })

  it('keeps the data folder private: no admin-password.txt (the password came from the environment), 0600 files', () => {
    assert.equal(existsSync(join(dataDir, 'admin-password.txt')), false)
    assert.equal(mode(dataDir).toString(8), '700')
    for (const file of [
      'demo-client-secret.txt',
      'demo-api-keys.txt',
      'keyshift.db',
      'keyshift.db-wal',
      'keyshift.db-shm',
    ]) {
      const path = join(dataDir, file)
      if (file.startsWith('keyshift.db-') && !existsSync(path)) continue
      assert.equal(mode(path).toString(8), '600', file)
    }
  })
})
