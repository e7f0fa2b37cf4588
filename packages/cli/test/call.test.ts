import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { call, type FakeInstance, fakeInstance, ID, issueToken, SECRET } from './fake-instance.ts'
import type { RecordedRequest } from './helpers.ts'

const INVOICE = { id: 1, 'invoice-number': 'INV-1', status: 'approved' }
const XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<invoice-header>\n  <id type="integer">1</id>\n</invoice-header>\n'

describe('keyshift call: the Postman step, with @keyshift/client', () => {
  let instance: FakeInstance
  let folder: string
  before(async () => {
    instance = await fakeInstance()
    folder = mkdtempSync(join(tmpdir(), 'keyshift-call-'))
  })
  after(async () => {
    await instance.close()
    rmSync(folder, { recursive: true, force: true })
  })
  beforeEach(() => {
    instance.requests.length = 0
    instance.token = issueToken()
  })

  function onlyApiRequest(): RecordedRequest {
    const requests = instance.apiRequests()
    assert.equal(requests.length, 1)
    return requests[0] as RecordedRequest
  }

  it('gets a token from /oauth2/token (client_secret_post), then GETs with it and prints pretty JSON', async () => {
    instance.api = () => ({ status: 200, body: INVOICE })
    const result = await call(instance, ['GET', '/api/invoices/1', '--scope', 'core.invoice.read'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, `${JSON.stringify(INVOICE, null, 2)}\n`)
    assert.equal(result.stderr, '')
    const [token] = instance.tokenRequests()
    assert.equal(
      token?.body,
      `client_id=${ID}&grant_type=client_credentials&scope=core.invoice.read&client_secret=${SECRET}`,
    )
    const request = onlyApiRequest()
    assert.equal(request.method, 'GET')
    assert.equal(request.url, '/api/invoices/1')
    assert.equal(request.headers.authorization, 'Bearer token-1')
    assert.equal(request.headers.accept, 'application/json')
  })

  it('puts a PATH without a leading / under /api/ and adds each --query, percent-encoded', async () => {
    instance.api = () => ({ status: 200, body: [INVOICE] })
    const result = await call(instance, [
      'get',
      'invoices?status=approved',
      '--query',
      'updated-at[gt]=2025-01-01T00:00:00Z',
      '--query',
      'supplier[name]=Acme & Co',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(
      onlyApiRequest().url,
      '/api/invoices?status=approved&updated-at[gt]=2025-01-01T00%3A00%3A00Z&supplier[name]=Acme%20%26%20Co',
    )
  })

  it('asks for XML with --accept xml and prints it as received', async () => {
    instance.api = () => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: XML })
    const result = await call(instance, ['GET', 'invoices/1', '--accept', 'xml'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, XML)
    assert.equal(onlyApiRequest().headers.accept, 'application/xml')
  })

  it('POSTs --data @file as JSON, as the file has it', async () => {
    const file = join(folder, 'invoice.json')
    const text = '{ "invoice-number": "INV-2", "supplier": { "id": 4 } }\n'
    writeFileSync(file, text)
    instance.api = () => ({ status: 201, body: { id: 2, 'invoice-number': 'INV-2' } })
    const result = await call(instance, ['POST', 'invoices', '--data', `@${file}`])
    assert.equal(result.code, 0, result.stderr)
    const request = onlyApiRequest()
    assert.equal(request.method, 'POST')
    assert.equal(request.url, '/api/invoices')
    assert.equal(request.headers['content-type'], 'application/json')
    assert.equal(request.body, text)
    assert.deepEqual(JSON.parse(result.stdout), { id: 2, 'invoice-number': 'INV-2' })
  })

  it('POSTs inline XML as application/xml and asks for XML back', async () => {
    const body = '<invoice-header><invoice-number>INV-3</invoice-number></invoice-header>'
    instance.api = () => ({
      status: 201,
      headers: { 'content-type': 'application/xml' },
      body: XML.trimEnd(),
    })
    const result = await call(instance, ['POST', '/api/invoices', '--data', body])
    assert.equal(result.code, 0, result.stderr)
    const request = onlyApiRequest()
    assert.equal(request.headers['content-type'], 'application/xml')
    assert.equal(request.headers.accept, 'application/xml')
    assert.equal(request.body, body)
    assert.equal(result.stdout, XML)
  })

  it('PUTs, with --data or without (a custom action such as void)', async () => {
    instance.api = (request) => ({ status: 200, body: { id: 12, url: request.url } })
    const update = await call(instance, ['PUT', 'invoices/12', '--data', '{"invoice-number":"INV-12"}'])
    assert.equal(update.code, 0, update.stderr)
    assert.equal(instance.apiRequests()[0]?.method, 'PUT')
    assert.equal(instance.apiRequests()[0]?.body, '{"invoice-number":"INV-12"}')
    const action = await call(instance, ['PUT', 'invoices/12/void'])
    assert.equal(action.code, 0, action.stderr)
    assert.equal(instance.apiRequests()[1]?.url, '/api/invoices/12/void')
    assert.equal(instance.apiRequests()[1]?.headers['content-type'], undefined)
  })

  it('prints {status, body} with --json', async () => {
    instance.api = () => ({ status: 201, body: INVOICE })
    const json = await call(instance, ['POST', 'invoices', '--data', '{}', '--json'])
    assert.deepEqual(JSON.parse(json.stdout), { status: 201, body: INVOICE })
    instance.api = () => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: XML })
    const xml = await call(instance, ['GET', 'invoices/1', '--accept', 'xml', '--json'])
    assert.deepEqual(JSON.parse(xml.stdout), { status: 200, body: XML })
  })

  it('authenticates with HTTP Basic with --basic', async () => {
    instance.api = () => ({ status: 200, body: INVOICE })
    const result = await call(instance, ['GET', 'invoices/1', '--basic'])
    assert.equal(result.code, 0, result.stderr)
    const [token] = instance.tokenRequests()
    assert.match(String(token?.headers.authorization), /^Basic /)
    assert.equal(token?.body, 'grant_type=client_credentials')
  })
})
