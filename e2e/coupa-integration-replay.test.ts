/**
 * Issue 15's must-show: a Coupa integration runs unchanged against a Keyshift instance. The calls
 * are replayed from a file of recorded requests (fixtures/coupa-integration/recorded-requests.json)
 * written from Coupa's published examples, each naming the page it follows, not from Keyshift's
 * code: the token, paging invoices with `updated-at[gt]`, Coupa's supplier create example, the PUT
 * that deactivates a supplier, an ERP key in a custom field, an attachment uploaded as Coupa's cURL
 * example sends it and downloaded back, and a GraphQL query.
 *
 * The test plays Coupa's admin only to make the OAuth client (Setup → OAuth2/OpenID Connect
 * Clients) with the integration's scopes; everything else is the recorded requests, as sent.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type ServedInstance, serve } from './support/serve.ts'

const FIXTURES = join(import.meta.dirname, 'fixtures', 'coupa-integration')
const ADMIN_PASSWORD = 'e2e replay admin password'
const adminHeaders = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` }

interface FormPart {
  name: string
  value?: string
  file?: string
  contentType?: string
}

interface RecordedRequest {
  name: string
  source: string
  method: string
  path?: string
  url?: string
  headers: Record<string, string>
  body?: string
  form?: FormPart[]
  expect: {
    status: number
    json?: unknown
    arrayLength?: number
    contains?: string[]
    notContaining?: string
    /** The first record's id is above this one (the next page starts after the last one read). */
    firstIdAbove?: string
    bodyIsFile?: string
    header?: Record<string, string>
  }
  capture?: Record<string, string>
}

interface Recording {
  scope: string
  requests: RecordedRequest[]
}

/** `{{name}}` filled from what the replay knows so far; an unknown name is a mistake in the file. */
function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = vars[name]
    if (value === undefined) throw new Error(`the recording uses {{${name}}} before it is captured`)
    return value
  })
}

/** Every key the recording expects is in the answer with that value (numbers and strings alike). */
function assertIncludes(actual: unknown, expected: unknown, vars: Record<string, string>, where: string) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where} is an array`)
    expected.forEach((item, i) => {
      assertIncludes(actual[i], item, vars, `${where}[${i}]`)
    })
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where} is an object`)
    for (const [key, value] of Object.entries(expected)) {
      assertIncludes((actual as Record<string, unknown>)[key], value, vars, `${where}.${key}`)
    }
  } else {
    const want = typeof expected === 'string' ? fill(expected, vars) : expected
    assert.equal(String(actual), String(want), where)
  }
}

/** `json:[0].id`, `json:access_token`, `xml:id` (the first such element), `xml:file-url`. */
function captured(how: string, text: string): string {
  const [kind, path = ''] = how.split(':', 2)
  if (kind === 'xml') {
    const match = new RegExp(`<${path}(?: [^>]*)?>([^<]*)</${path}>`).exec(text)
    if (!match?.[1]) throw new Error(`no <${path}> in the answer:\n${text.slice(0, 500)}`)
    return match[1].replaceAll('&amp;', '&')
  }
  let value: unknown = JSON.parse(text)
  for (const step of path.match(/[^.[\]]+/g) ?? []) {
    value = (value as Record<string, unknown>)[/^\d+$/.test(step) ? Number(step) : step]
  }
  if (value === undefined || value === null)
    throw new Error(`no ${path} in the answer:\n${text.slice(0, 500)}`)
  return String(value)
}

async function bodyOf(request: RecordedRequest, vars: Record<string, string>): Promise<RequestInit['body']> {
  if (request.form) {
    const form = new FormData()
    for (const part of request.form) {
      if (part.file) {
        const bytes = await readFile(join(FIXTURES, part.file))
        form.append(part.name, new Blob([bytes], { type: part.contentType ?? '' }), part.file)
      } else form.append(part.name, fill(part.value ?? '', vars))
    }
    return form
  }
  return request.body === undefined ? undefined : fill(request.body, vars)
}

describe('a Coupa integration written from Coupa’s published examples, replayed unchanged', () => {
  let instance: ServedInstance
  let recording: Recording
  const vars: Record<string, string> = {}

  before(async () => {
    recording = JSON.parse(await readFile(join(FIXTURES, 'recorded-requests.json'), 'utf8')) as Recording
    instance = await serve(['--demo', '--api-rate-limit', 'off'], {
      env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD },
    })
    // Coupa's admin makes the client with the scopes the integration asks for.
    const made = await fetch(`${instance.url}/admin/v1/oauth2/clients`, {
      method: 'POST',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'erp-sync',
        login: 'erp-sync',
        scopes: recording.scope.split(' '),
      }),
    })
    assert.equal(made.status, 201, await made.clone().text())
    const client = (await made.json()) as { client_id: string; client_secret: string }
    Object.assign(vars, { client_id: client.client_id, client_secret: client.client_secret })
    vars.scope = recording.scope
  })

  after(async () => {
    await instance?.stop()
  })

  it('answers every recorded request as Coupa documents it, in order', async () => {
    assert.ok(recording.requests.length >= 10)
    for (const request of recording.requests) {
      const where = `${request.method} ${request.name}`
      assert.match(request.source, /^https:\/\/compass\.coupa\.com\//, `${where} names its Coupa page`)
      const target = request.url
        ? new URL(fill(request.url, vars), instance.url)
        : new URL(fill(request.path ?? '/', vars), instance.url)
      assert.equal(target.host, new URL(instance.url).host, `${where} stays on the instance`)
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, fill(value, vars)]),
      )
      const body = await bodyOf(request, vars)
      const response = await fetch(target, { method: request.method, headers, ...(body && { body }) })
      const bytes = Buffer.from(await response.arrayBuffer())
      const text = bytes.toString('utf8')
      const { expect } = request
      assert.equal(response.status, expect.status, `${where}: ${text.slice(0, 600)}`)
      for (const fragment of expect.contains ?? []) {
        assert.ok(text.includes(fill(fragment, vars)), `${where} answers ${fragment}:\n${text.slice(0, 600)}`)
      }
      if (expect.notContaining) {
        assert.ok(!text.includes(fill(expect.notContaining, vars)), `${where}: ${text.slice(0, 600)}`)
      }
      if (expect.arrayLength !== undefined) {
        assert.equal((JSON.parse(text) as unknown[]).length, expect.arrayLength, where)
      }
      if (expect.firstIdAbove !== undefined) {
        const [first] = JSON.parse(text) as Array<{ id: number }>
        assert.ok(Number(first?.id) > Number(fill(expect.firstIdAbove, vars)), `${where} starts after`)
      }
      if (expect.json !== undefined) assertIncludes(JSON.parse(text), expect.json, vars, where)
      if (expect.bodyIsFile) {
        assert.deepEqual(bytes, await readFile(join(FIXTURES, expect.bodyIsFile)), `${where}: the same bytes`)
      }
      for (const [name, value] of Object.entries(expect.header ?? {})) {
        assert.ok(String(response.headers.get(name)).includes(value), `${where}: ${name} has ${value}`)
      }
      for (const [name, how] of Object.entries(request.capture ?? {})) vars[name] = captured(how, text)
    }
  })
})
