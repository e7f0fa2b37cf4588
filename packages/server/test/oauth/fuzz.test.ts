/**
 * Property tests: random and malformed requests to the OAuth endpoints never make the server fail
 * (5xx) or hang, and every refusal is an RFC 6749 §5.2 / RFC 7009 §2.2.1 error body.
 *
 * These run on SQLite only: they test HTTP parsing, client authentication and error rendering, not
 * storage, which the store suites cover on every backend. The few inputs that reach the store in a
 * way a backend could choke on are in the last describe, which runs on every backend.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { basicHeader, type CreatedClient, startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const OAUTH_PATHS = ['/oauth2/token', '/oauth2/introspect', '/oauth2/revoke'] as const
// https://www.rfc-editor.org/rfc/rfc6749#section-5.2 and https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1
const ERROR_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unsupported_token_type',
])
const TOO_LARGE = { error: 'invalid_request', error_description: 'the request body is too large' }
const INJECT_TIMEOUT_MS = 5000
const sqlite = storeBackends.find((backend) => backend.name === 'sqlite')
if (!sqlite) throw new Error('the sqlite backend is missing')

/** What the generators mix into the garbage so that some requests get far, or all the way. */
interface Known {
  clientId: string
  secret: string
  token: string
}

/** Injects and fails, instead of waiting forever, when the answer does not come. */
async function injectInTime(t: TestInstance, request: InjectOptions): Promise<LightMyRequestResponse> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${INJECT_TIMEOUT_MS} ms: ${describeRequest(request)}`)),
      INJECT_TIMEOUT_MS,
    )
  })
  try {
    return await Promise.race([t.instance.app.inject(request), timeout])
  } finally {
    clearTimeout(timer)
  }
}

function describeRequest(request: InjectOptions): string {
  const payload = request.payload === undefined ? '' : String(request.payload).slice(0, 200)
  return `${request.method} ${String(request.url).slice(0, 200)} ${JSON.stringify(request.headers)} ${JSON.stringify(payload)}`
}

/** 200 or a 4xx, a JSON body, and on the OAuth paths an exact §5.2 error body for a refusal. */
function assertWellFormed(request: InjectOptions, response: LightMyRequestResponse): void {
  const { statusCode: status } = response
  const where = `${describeRequest(request)}\n→ ${status} ${response.body.slice(0, 300)}`
  assert.ok(status === 200 || (status >= 400 && status < 500), `not 200 or 4xx: ${where}`)
  if (request.method === 'HEAD') return // a HEAD answer has no body
  // https://www.rfc-editor.org/rfc/rfc7009#section-2.2 : a successful revocation may have an empty body.
  if (status === 200 && String(request.url).startsWith('/oauth2/revoke') && response.body === '') return
  let body: unknown
  try {
    body = JSON.parse(response.body)
  } catch {
    assert.fail(`body is not JSON: ${where}`)
  }
  if (status === 200 || status === 404 || status === 405) return
  assert.ok(body !== null && typeof body === 'object', where)
  assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description'], where)
  const { error, error_description } = body as Record<string, unknown>
  assert.ok(typeof error === 'string' && ERROR_CODES.has(error), `unexpected error code: ${where}`)
  assert.equal(typeof error_description, 'string', where)
}

// Characters a header value or request target can carry on the wire (no control characters).
const headerChar = fc
  .integer({ min: 0x20, max: 0xff })
  .filter((c) => c !== 0x7f)
  .map((c) => String.fromCharCode(c))
const urlChar = fc
  .integer({ min: 0x21, max: 0x7e })
  .filter((c) => c !== 0x23)
  .map((c) => String.fromCharCode(c))
const headerText = fc.string({ unit: headerChar, maxLength: 80 })
const base64 = (text: string) => Buffer.from(text).toString('base64')
// Methods the OAuth endpoints do not route (each path has only POST).
const NOT_POST = fc.constantFrom(
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'SEARCH',
)

const percentGarbage = fc.oneof(
  fc.constantFrom('%', '%zz', '%e9', '%ff%fe', '%00', '%%', '%2', '%C3%28', '%ED%A0%80', '+', '=', '&', '\0'),
  fc.string({ unit: fc.constantFrom('%', 'z', '0', 'f', 'C', '&', '=', '+', '\0'), maxLength: 24 }),
)
const garbage = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  percentGarbage,
  fc.constantFrom('\0', 'a\0b', '\ud800', '\udfff\ud800', '💥', 'ﬃ', '\u202e', '\r\n', ' '),
)

function generators(known: Known) {
  const realValue = fc.constantFrom(
    known.clientId,
    known.secret,
    known.token,
    known.token.split('.')[0] ?? '',
    'client_credentials',
    'password',
    'access_token',
    'core.invoice.read',
    'core.invoice.read core.user.write',
    '',
  )
  const value = fc.oneof(
    { weight: 3, arbitrary: garbage },
    { weight: 3, arbitrary: realValue },
    { weight: 1, arbitrary: fc.nat(20_000).map((n) => 'x'.repeat(n)) },
  )
  const name = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', 'token') },
    { weight: 1, arbitrary: fc.constantFrom('token_type_hint', 'audience', 'resource', '__proto__') },
    { weight: 2, arbitrary: garbage },
  )
  const pair = fc.tuple(name, value)
  const valid: [string, string][] = [
    ['grant_type', 'client_credentials'],
    ['client_id', known.clientId],
    ['client_secret', known.secret],
    ['token', known.token],
    ['scope', 'core.invoice.read'],
  ]
  // Nearly right: each real parameter kept four times in five, in any order, sometimes with others.
  const nearlyValid = fc
    .tuple(
      fc.tuple(...valid.map(() => fc.integer({ min: 0, max: 4 }))),
      fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, fc.array(pair, { maxLength: 2 })),
    )
    .chain(([keep, extra]) => {
      const list = [...valid.filter((_, i) => keep[i] !== 0), ...extra]
      return fc.shuffledSubarray(list, { minLength: list.length })
    })
  const pairs = fc.oneof(fc.array(pair, { maxLength: 8 }), { weight: 2, arbitrary: nearlyValid })
  // Usually once; sometimes the whole form repeated, which repeats every parameter (§3.2).
  const times = fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, fc.integer({ min: 2, max: 3 }))
  const form = fc.tuple(pairs, fc.boolean(), times).map(([list, encode, times]) => {
    const once = encode ? new URLSearchParams(list).toString() : list.map(([n, v]) => `${n}=${v}`).join('&')
    return Array.from({ length: times }, () => once).join('&')
  })
  const payload = fc.oneof(
    { weight: 8, arbitrary: form },
    { weight: 2, arbitrary: garbage },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.nat(40_000).map((n) => `grant_type=client_credentials&pad=${'é'.repeat(n)}`) },
    // Many parameters: distinct ones (fine up to the size limit) or one name over and over.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.nat(4000), fc.boolean())
        .map(([n, same]) => Array.from({ length: n }, (_, i) => (same ? 'scope=a' : `p${i}=${i}`)).join('&')),
    },
  )
  const form_ = 'application/x-www-form-urlencoded'
  const contentType = fc.oneof(
    { weight: 10, arbitrary: fc.constant(form_) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        `${form_}; charset=UTF-8`,
        `${form_}; charset=latin1`,
        `${form_}; charset="utf-8"`,
        `${form_};charset=utf-16`,
        `${form_}; charset=`,
        `${form_};;;`,
        `${form_} ; foo=bar`,
        `${form_}, application/json`,
        form_.toUpperCase(),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json',
        'application/xml',
        'text/xml',
        'text/plain',
        'multipart/form-data; boundary=xyz',
        'multipart/form-data',
        'application/octet-stream',
        '',
        '*/*',
        ';',
        '/',
        'application/',
      ),
    },
    { weight: 1, arbitrary: headerText },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )
  const authorization = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant(basicHeader(known.clientId, known.secret)) },
    { weight: 1, arbitrary: headerText.map((text) => `Basic ${text}`) },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 64 }).map((text) => `Basic ${text}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(garbage, fc.boolean())
        .map(([text, colon]) => `Basic ${base64(colon ? `${text}:${text}` : text.replaceAll(':', ''))}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(known.clientId, ''), value)
        .map(([id, secret]) => `Basic ${base64(`${id}:${secret}`)}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(known.token, 'abc').map((token) => `Bearer ${token}`) },
    { weight: 1, arbitrary: fc.nat(20_000).map((n) => `Basic ${'QUJD'.repeat(n)}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'Basic', 'Basic ', 'basic Og==', 'BASIC x y', 'Digest a=b', ' '),
    },
    { weight: 1, arbitrary: headerText },
  )
  const query = fc.oneof(
    { weight: 6, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.string({ unit: urlChar, maxLength: 60 }).map((text) => `?${text}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '?%zz',
        '?%',
        '?&&=&',
        '?a=%zz&b=%',
        '?client_secret=x',
        '?token=abc',
        '?access_token=',
        `?client_secret=${known.secret}`,
      ),
    },
    { weight: 1, arbitrary: fc.array(pair, { maxLength: 4 }).map((list) => `?${new URLSearchParams(list)}`) },
  )
  const method = fc.oneof(
    { weight: 8, arbitrary: fc.constant('POST') },
    {
      weight: 2,
      arbitrary: NOT_POST,
    },
  )

  // A third of the requests are nearly right throughout, so that many get past the parsing into
  // client authentication, scope checks and token issuance instead of stopping at the first check.
  const plausible = {
    method: fc.constant('POST'),
    query: fc.constant(''),
    contentType: fc.constantFrom(form_, `${form_}; charset=UTF-8`),
    authorization: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      fc.constant(basicHeader(known.clientId, known.secret)),
      value.map((secret) => `Basic ${base64(`${known.clientId}:${secret}`)}`),
    ),
    payload: nearlyValid.map((list) => new URLSearchParams(list).toString()),
  }
  const anything = { method, query, contentType, authorization, payload }

  /** A request to one of `paths`. */
  return function requests(paths: fc.Arbitrary<string>): fc.Arbitrary<InjectOptions> {
    return fc
      .oneof(
        { weight: 2, arbitrary: fc.record({ ...anything, path: paths }) },
        fc.record({ ...plausible, path: paths }),
      )
      .map(({ method, path, query, contentType, authorization, payload }) => ({
        method: method as InjectOptions['method'],
        url: `${path}${query}`,
        headers: {
          ...(contentType !== undefined && { 'content-type': contentType }),
          ...(authorization !== undefined && { authorization }),
        },
        ...(payload !== undefined && { payload }),
      }))
  }
}

const RELAXED_THROTTLE = { maxFailuresPerAddress: 1e9, maxFailuresPerClient: 1e9, freeFailures: 1e9 }

async function knownOf(t: TestInstance, client: CreatedClient): Promise<Known> {
  const response = await t.form('/oauth2/token', {
    grant_type: 'client_credentials',
    client_id: client.client_id,
    client_secret: client.client_secret,
  })
  assert.equal(response.statusCode, 200)
  return { clientId: client.client_id, secret: client.client_secret, token: response.json().access_token }
}

describe('OAuth endpoints under random and malformed requests (sqlite)', () => {
  let t: TestInstance
  let requests: ReturnType<typeof generators>
  const check = (request: InjectOptions) => injectInTime(t, request).then((r) => assertWellFormed(request, r))

  before(async () => {
    // Throttling off, or 429s would answer most requests and hide the paths behind it.
    t = await startInstance(sqlite, { throttle: RELAXED_THROTTLE })
    requests = generators(await knownOf(t, await t.createClient()))
  })
  after(() => t.close())

  for (const path of OAUTH_PATHS) {
    it(`answers any request to ${path} with 200 or a 4xx and an RFC 6749 §5.2 error body`, async () => {
      const seen = new Set<number>()
      const property = fc.asyncProperty(requests(fc.constant(path)), async (request) => {
        const response = await injectInTime(t, request)
        seen.add(response.statusCode)
        assertWellFormed(request, response)
      })
      await fc.assert(property, { numRuns: 1000, includeErrorInReport: true })
      // The generators must get requests all the way through, not only stop them at the first check.
      assert.ok(seen.has(200) && seen.has(401), `only saw ${[...seen].join(', ')}`)
    })
  }

  it('answers other methods and near-miss paths with JSON 4xx, never 5xx', async () => {
    const paths = fc.constantFrom(
      ...OAUTH_PATHS,
      '/oauth2/token/',
      '/oauth2/TOKEN',
      '/oauth2//token',
      '/oauth2/token%zz',
      '/oauth2/token%00',
      '/oauth2/token;x',
      '/oauth2/',
      '/oauth2/introspect/..',
    )
    const anyMethod = fc
      .tuple(requests(paths), fc.option(NOT_POST, { freq: 3 }))
      .map(([request, method]) => ({
        ...request,
        method: (method ?? request.method) as InjectOptions['method'],
      }))
    await fc.assert(fc.asyncProperty(anyMethod, check), { numRuns: 500, includeErrorInReport: true })
  })

  // Fastify answers a malformed URL itself (FST_ERR_BAD_URL) unless frameworkErrors sends it to
  // the error handler; its own body is not an OAuth error and echoes the path.
  it('answers a path with bad percent-encoding with an OAuth error body', async () => {
    for (const url of ['/oauth2/token%zz', '/oauth2/token%', '/oauth2/revoke%C3%28']) {
      const request: InjectOptions = {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      }
      const response = await injectInTime(t, request)
      assertWellFormed(request, response)
      assert.equal(response.statusCode, 400)
      assert.equal(response.json().error, 'invalid_request')
    }
  })

  describe('body size (16 KiB limit of the OAuth endpoints)', () => {
    const send = (url: string, payload: string, contentType = 'application/x-www-form-urlencoded') =>
      injectInTime(t, { method: 'POST', url, headers: { 'content-type': contentType }, payload })

    for (const path of OAUTH_PATHS) {
      it(`answers a form body over 16 KiB to ${path} with 413 and an OAuth error body`, async () => {
        const head = 'grant_type=client_credentials&pad='
        const response = await send(path, head + 'x'.repeat(16 * 1024 + 1 - head.length))
        assert.equal(response.statusCode, 413)
        assert.deepEqual(response.json(), TOO_LARGE)
        assert.equal(response.headers['cache-control'], 'no-store')
      })
    }

    it('counts bytes, not characters, and applies with a charset parameter too', async () => {
      const response = await send(
        '/oauth2/token',
        `pad=${'é'.repeat(8200)}`,
        'application/x-www-form-urlencoded; charset=UTF-8',
      )
      assert.equal(response.statusCode, 413)
      assert.deepEqual(response.json(), TOO_LARGE)
    })

    it('reads a body of exactly 16 KiB', async () => {
      const head = 'grant_type=password&pad='
      const response = await send('/oauth2/token', head + 'x'.repeat(16 * 1024 - head.length))
      assert.equal(response.statusCode, 400)
      assert.equal(response.json().error, 'unsupported_grant_type')
    })
  })
})

describe('throttled OAuth answers under random requests (sqlite)', () => {
  const address = '198.51.100.23'
  let t: TestInstance
  let requests: ReturnType<typeof generators>

  before(async () => {
    t = await startInstance(sqlite, {
      clock: new TestClock(),
      throttle: { maxFailuresPerAddress: 3, maxFailuresPerClient: 3, freeFailures: 1e9 },
    })
    requests = generators(await knownOf(t, await t.createClient()))
  })
  after(() => t.close())

  it('answers 429 with an RFC 6749 §5.2 body and Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await injectInTime(t, {
        method: 'POST',
        url: '/oauth2/token',
        remoteAddress: address,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${'f'.repeat(32)}&client_secret=guess`,
      })
      assert.equal(response.statusCode, 401)
    }
    let refused = 0
    const throttled = requests(fc.constantFrom(...OAUTH_PATHS)).map((request) => ({
      ...request,
      remoteAddress: address,
    }))
    await fc.assert(
      fc.asyncProperty(throttled, async (request) => {
        const response = await injectInTime(t, request)
        assertWellFormed(request, response)
        if (response.statusCode !== 429) return
        refused++
        assert.equal(response.json().error, 'invalid_request')
        assert.match(
          response.json().error_description,
          /^too many failed authentications; retry after \d+ seconds$/,
        )
        assert.ok(Number(response.headers['retry-after']) >= 1)
      }),
      { numRuns: 500, includeErrorInReport: true },
    )
    assert.ok(refused > 0, 'no request was throttled, so the property checked no 429')
  })
})

// These inputs go all the way to the store's client lookup, so they run on every backend.
for (const backend of storeBackends) {
  describe(`odd client ids that reach the store on ${backend.name}`, { skip: backend.skip }, () => {
    const GENERIC_INVALID_CLIENT = {
      error: 'invalid_client',
      error_description: 'client authentication failed',
    }
    let t: TestInstance
    before(async () => {
      t = await startInstance(backend, { throttle: RELAXED_THROTTLE })
    })
    after(() => t.close())

    // PostgreSQL text cannot hold a NUL byte: sent to the store, it made the lookup fail with a 500.
    for (const [label, clientId] of [
      ['a NUL byte', `${'a'.repeat(16)}\0${'a'.repeat(15)}`],
      ['only a NUL byte', '\0'],
      ['10 000 characters', 'a'.repeat(10_000)],
      ['a replacement character', '\ufffd'],
      ['an emoji', '💥'],
    ] as const) {
      it(`answers a client_id with ${label} like an unknown client, with post and with Basic`, async () => {
        const post = await t.form('/oauth2/token', {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: 'guess',
        })
        assert.equal(post.statusCode, 401, post.body)
        assert.deepEqual(post.json(), GENERIC_INVALID_CLIENT)
        const basic = await t.form(
          '/oauth2/token',
          { grant_type: 'client_credentials' },
          { basic: [clientId, 'guess'] },
        )
        assert.equal(basic.statusCode, 401, basic.body)
        assert.deepEqual(basic.json(), GENERIC_INVALID_CLIENT)
      })
    }
  })
}
