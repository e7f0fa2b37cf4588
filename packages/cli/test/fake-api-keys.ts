/** A fake admin API for `/admin/v1/api-keys`, answering as the server's api-keys-routes.ts does. */
import type { FakeResponse, RecordedRequest } from './helpers.ts'

export const KEY = '3f9a1c0b7d2e4f6a8b9c0d1e2f3a4b5c6d7e8f90'
export const ID = '5b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4'
/** An expiry date that never becomes past, whatever day the tests run. */
export const EXPIRES_ON = '2999-01-31'
export const API_KEY = {
  id: ID,
  name: 'Acme ERP',
  description: 'Nightly invoice export',
  contact_first_name: 'Ada',
  contact_last_name: 'Lovelace',
  contact_login: 'acme-erp',
  contact_email: 'ada@example.com',
  expires_on: EXPIRES_ON,
  permissions: ['invoices#index', 'invoices#show'],
  state: 'active',
  revoked_at: null,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-02T00:00:00.000Z',
}
/** A server that wrongly echoes the key everywhere: the CLI must still print it only from create. */
export const LEAKY_KEY = { ...API_KEY, key: KEY }

function problem(status: number, detail: string, errors?: Record<string, string[]>): FakeResponse {
  const title = { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict' }[status as 400 | 404 | 409]
  return { status, body: { type: 'about:blank', title, status, detail, ...(errors && { errors }) } }
}

function create(body: Record<string, unknown>): FakeResponse {
  if (body.contact_login === 'taken') {
    return problem(409, 'Contact Login has already been taken', {
      contact_login: ['Contact Login has already been taken'],
    })
  }
  if (Array.isArray(body.permissions) && body.permissions.includes('invoices#fly')) {
    const message = 'unknown permission invoices#fly; use resource#action, such as invoices#index'
    return problem(400, `permissions: ${message}`, { permissions: [message] })
  }
  // A proxy that answers 201 without the key: the CLI must not pretend a key was created.
  if (body.name === 'keyless') return { status: 201, body: API_KEY }
  const created = {
    ...API_KEY,
    description: null,
    contact_first_name: null,
    contact_last_name: null,
    expires_on: null,
    permissions: null,
    ...body,
  }
  return { status: 201, body: { ...created, key: KEY } }
}

export function fakeApiKeysApi(request: RecordedRequest): FakeResponse {
  const key = `${request.method} ${request.url}`
  if (key === 'POST /admin/v1/api-keys') return create(JSON.parse(request.body) as Record<string, unknown>)
  if (key === 'GET /admin/v1/api-keys') return { status: 200, body: { api_keys: [LEAKY_KEY] } }
  if (key === 'GET /admin/v1/api-keys/missing') return problem(404, 'no API key with id "missing"')
  if (key === `GET /admin/v1/api-keys/${ID}`) return { status: 200, body: LEAKY_KEY }
  if (key === `POST /admin/v1/api-keys/${ID}/revoke`) {
    const revokedAt = '2025-03-01T00:00:00.000Z'
    return {
      status: 200,
      body: { ...LEAKY_KEY, state: 'revoked', revoked_at: revokedAt, updated_at: revokedAt },
    }
  }
  return problem(404, `unexpected request ${key}`)
}
