import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import {
  POSTMAN_COLLECTION_SCHEMA,
  type PostmanItem,
  postmanCollection,
  postmanResources,
} from '../src/contract/postman.ts'

const SCOPES = ['core.invoice.read', 'core.supplier.read']

const files = postmanCollection({ baseUrl: 'https://acme.example.com/', clientId: 'abc', scopes: SCOPES })
const { collection, environment } = files
const byName = (name: string): PostmanItem => {
  const item = collection.item.find((candidate) => candidate.name.startsWith(name))
  assert.ok(item, name)
  return item
}
const tests = (item: PostmanItem) =>
  item.event.find((event) => event.listen === 'test')?.script.exec.join('\n')

describe("postmanCollection: the guide's step 3 as a Postman collection (v2.1)", () => {
  it('is a v2.1 collection with OAuth 2.0 client credentials on the collection, credentials in the body', () => {
    assert.equal(collection.info.schema, POSTMAN_COLLECTION_SCHEMA)
    assert.equal(collection.auth.type, 'oauth2')
    const settings = Object.fromEntries((collection.auth.oauth2 ?? []).map(({ key, value }) => [key, value]))
    assert.deepEqual(
      {
        grant_type: settings.grant_type,
        accessTokenUrl: settings.accessTokenUrl,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        scope: settings.scope,
        client_authentication: settings.client_authentication,
        accessToken: settings.accessToken,
      },
      {
        grant_type: 'client_credentials',
        accessTokenUrl: '{{base_url}}/oauth2/token',
        clientId: '{{client_id}}',
        clientSecret: '{{client_secret}}',
        scope: '{{scope}}',
        client_authentication: 'body',
        accessToken: '{{access_token}}',
      },
    )
  })

  it('gets the token for newman in a pre-request script, and says so in its description', () => {
    const [event] = collection.event
    assert.equal(event?.listen, 'prerequest')
    const script = event.script.exec.join('\n')
    assert.match(script, /pm\.sendRequest\(/)
    assert.match(script, /pm\.collectionVariables\.set\('access_token'/)
    assert.match(collection.info.description, /newman .* does not fetch OAuth 2\.0 tokens itself/)
    assert.deepEqual(
      collection.variable.map(({ key, value }) => [key, value]),
      [
        ['access_token', ''],
        ['access_token_expires_at', '0'],
      ],
    )
  })

  it("posts the guide's form to /oauth2/token, without the collection's authorization", () => {
    const token = byName('Get a token')
    assert.equal(token.request.method, 'POST')
    assert.equal(token.request.url, '{{base_url}}/oauth2/token')
    assert.deepEqual(token.request.auth, { type: 'noauth' })
    assert.deepEqual(token.request.header, [
      { key: 'Content-Type', value: 'application/x-www-form-urlencoded' },
    ])
    assert.deepEqual(
      token.request.body?.urlencoded.map(({ key, value }) => `${key}=${value}`),
      [
        'client_id={{client_id}}',
        'grant_type=client_credentials',
        'scope={{scope}}',
        'client_secret={{client_secret}}',
      ],
    )
    assert.match(tests(token) ?? '', /status\(200\)/)
  })

  it('reads the first resource of the catalogue within the scopes, in JSON and in XML (no Accept)', () => {
    const jsonRead = byName('GET /api/suppliers in JSON')
    const xmlRead = byName('GET /api/suppliers in XML')
    assert.equal(jsonRead.request.url, '{{base_url}}/api/suppliers?limit=1')
    assert.deepEqual(jsonRead.request.header, [{ key: 'Accept', value: 'application/json' }])
    assert.deepEqual(xmlRead.request.header, [])
    assert.match(tests(jsonRead) ?? '', /to\.be\.an\('array'\)/)
    assert.match(tests(xmlRead) ?? '', /<suppliers\[\\s>\]/)
  })

  it('expects 403 insufficient_scope from the first resource outside the scopes', () => {
    const outside = byName('GET /api/currencies outside the scopes')
    const script = tests(outside) ?? ''
    assert.match(script, /status\(403\)/)
    assert.match(script, /error="insufficient_scope"/)
    assert.match(script, /scope="core\.common\.read"/)
  })

  it('has scripts that are JavaScript', () => {
    const scripts = [...collection.event, ...collection.item.flatMap((item) => item.event)]
    for (const { script } of scripts) assert.doesNotThrow(() => new Function('pm', script.exec.join('\n')))
  })

  it('writes an environment with base_url, client_id, scope, and an empty secret-typed client_secret', () => {
    assert.equal(environment._postman_variable_scope, 'environment')
    assert.deepEqual(
      environment.values.map(({ key, value, type }) => [key, value, type]),
      [
        ['base_url', 'https://acme.example.com', 'default'],
        ['client_id', 'abc', 'default'],
        ['scope', 'core.invoice.read core.supplier.read', 'default'],
        ['client_secret', '', 'secret'],
      ],
    )
    assert.equal(environment.name, collection.info.name)
  })
})

describe('postmanResources: which resources the collection calls', () => {
  it('leaves out the reads when no scope reads a resource, and the 403 when every one does', () => {
    assert.equal(postmanResources(['core.invoice.write']).inScope, undefined)
    const reads = [
      'accounting',
      'approval',
      'common',
      'contract',
      'expense',
      'invoice',
      'item',
      'purchase_order',
    ]
      .concat(['requisition', 'supplier', 'user', 'user_group'])
      .map((object) => `core.${object}.read`)
    assert.equal(postmanResources(reads).outOfScope, undefined)
    const names = postmanCollection({ baseUrl: 'http://h', scopes: reads }).collection.item.map((i) => i.name)
    assert.equal(names.length, 3)
    assert.equal(postmanCollection({ baseUrl: 'http://h', scopes: ['openid'] }).collection.item.length, 2)
  })

  it('picks by the order of the catalogue, not of the scopes given', () => {
    assert.equal(postmanResources(['core.invoice.read', 'core.common.read']).inScope?.resource, 'currencies')
  })
})

describe('contract/postman.ts runs in the browser too', () => {
  it('imports only the catalogue', () => {
    const source = readFileSync(new URL('../src/contract/postman.ts', import.meta.url), 'utf8')
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1])
    assert.deepEqual(imports, ['../catalogue/index.ts'])
  })
})
