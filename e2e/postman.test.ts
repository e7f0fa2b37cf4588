/**
 * The guide's step 3 in Postman, end to end: a real `keyshift serve`, a client with two scopes made
 * through the admin API, the collection written by the real `keyshift postman`, and the collection
 * run by newman (Postman's runner) with the secret given only at run time. Loopback only.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { keyshift } from './support/agent.ts'
import { type ServedInstance, serve } from './support/serve.ts'

const ADMIN_PASSWORD = 'e2e postman admin password'
const SCOPE = 'core.invoice.read core.supplier.read'
/** The item newman names for a request of the pre-request script: none. */
const SCRIPT = '(pm.sendRequest)'

/** What these tests read of a newman run (newman ships no types). */
interface NewmanEvents {
  on(event: 'request', listener: (error: Error | null, args: NewmanRequest) => void): NewmanEvents
  on(event: 'assertion', listener: (error: Error | null, args: NewmanAssertion) => void): NewmanEvents
}
interface NewmanRequest {
  /** Absent for a request of pm.sendRequest. */
  item?: { name?: string }
  request: { method: string; url: { getPath(): string } }
  response?: { code: number }
}
interface NewmanAssertion {
  item: { name: string }
  assertion: string
}
interface NewmanSummary {
  run: {
    stats: Record<'requests' | 'assertions', { total: number; pending: number; failed: number }>
    failures: { error: { message: string } }[]
  }
}
type NewmanRun = (
  options: { collection: unknown; environment: unknown; envVar: { key: string; value: string }[] },
  callback: (error: Error | null, summary: NewmanSummary) => void,
) => NewmanEvents

const newman = createRequire(import.meta.url)('newman') as { run: NewmanRun }

interface NewmanResult extends NewmanSummary {
  /** Each request sent, in order: [item or SCRIPT, method and path, status]. */
  requests: [string, string, number | undefined][]
  /** Each pm.test, in order: [item, test, error message or undefined]. */
  tests: [string, string, string | undefined][]
}

/** Runs the collection with newman, the secret given only as a run-time variable. */
function runNewman(collection: unknown, environment: unknown, secret: string): Promise<NewmanResult> {
  const requests: NewmanResult['requests'] = []
  const tests: NewmanResult['tests'] = []
  return new Promise((resolve, reject) => {
    newman
      .run(
        { collection, environment, envVar: [{ key: 'client_secret', value: secret }] },
        (error, summary) => (error ? reject(error) : resolve({ ...summary, requests, tests })),
      )
      .on('request', (_error, { item, request, response }) => {
        requests.push([item?.name ?? SCRIPT, `${request.method} ${request.url.getPath()}`, response?.code])
      })
      .on('assertion', (error, { item, assertion }) => tests.push([item.name, assertion, error?.message]))
  })
}

describe('keyshift postman: the collection passes in newman against a real instance', () => {
  let instance: ServedInstance
  let dir: string
  let client: { client_id: string; client_secret: string }
  let collection: unknown
  let environment: unknown

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyshift-postman-e2e-'))
    // Demo data: an empty XML search is a 404, and the XML request expects a record.
    instance = await serve(['--demo'], { env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD } })
    const response = await fetch(`${instance.url}/admin/v1/oauth2/clients`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'Postman test', login: 'postman-test', scopes: SCOPE.split(' ') }),
    })
    assert.equal(response.status, 201, await response.clone().text())
    client = (await response.json()) as typeof client
  })

  after(async () => {
    await instance?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('writes the collection and its environment, without the secret', async () => {
    const out = join(dir, 'step3.postman_collection.json')
    const result = await keyshift([
      'postman',
      '--url',
      instance.url,
      '--client-id',
      client.client_id,
      '--scope',
      SCOPE,
      '--out',
      out,
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Import both files/)
    const files = [out, join(dir, 'step3.postman_environment.json')]
    const [collectionText, environmentText] = await Promise.all(files.map((file) => readFile(file, 'utf8')))
    for (const text of [collectionText, environmentText]) assert.ok(!text?.includes(client.client_secret))
    collection = JSON.parse(collectionText as string)
    environment = JSON.parse(environmentText as string)
  })

  it('runs every request and passes every test with the secret given at run time', async () => {
    const { run, requests, tests } = await runNewman(collection, environment, client.client_secret)
    const [token, json, xml, outside] = [
      'Get a token (client credentials)',
      'GET /api/suppliers in JSON (core.supplier.read)',
      'GET /api/suppliers in XML (core.supplier.read)',
      'GET /api/currencies outside the scopes (core.common.read)',
    ]
    assert.deepEqual(requests, [
      [token, 'POST /oauth2/token', 200],
      // Before the first call, the collection's pre-request script gets the token the calls send.
      [SCRIPT, 'POST /oauth2/token', 200],
      [json, 'GET /api/suppliers', 200],
      [xml, 'GET /api/suppliers', 200],
      [outside, 'GET /api/currencies', 403],
    ])
    assert.deepEqual(tests, [
      [token, 'status 200', undefined],
      [token, 'a Bearer access token with its lifetime', undefined],
      [json, 'status 200', undefined],
      [json, 'JSON: a list', undefined],
      [xml, 'status 200', undefined],
      [xml, 'XML: <suppliers>', undefined],
      [outside, 'status 403', undefined],
      [outside, 'WWW-Authenticate: Bearer error="insufficient_scope"', undefined],
    ])
    assert.deepEqual(run.failures, [])
    assert.deepEqual(run.stats.requests, { total: 5, pending: 0, failed: 0 })
    assert.deepEqual(run.stats.assertions, { total: 8, pending: 0, failed: 0 })
  })

  it('fails, saying why, when client_secret is left empty', async () => {
    const { run } = await runNewman(collection, environment, '')
    assert.ok(run.stats.assertions.failed > 0)
    assert.ok(
      run.failures.some((failure) =>
        failure.error.message.includes('401 invalid_client; client_secret is empty: paste the Secret'),
      ),
      run.failures.map((failure) => failure.error.message).join('\n'),
    )
  })
})
