/** A fake admin API (`/admin/v1/oauth2/clients`) with one client, for the admin command tests. */
import type { FakeResponse, RecordedRequest } from './helpers.ts'

export const PASSWORD = 'pä:ss word!'
export const SECRET = 'b'.repeat(64)
export const NEW_SECRET = 'c'.repeat(64)
export const CLIENT = {
  id: '7',
  name: 'Acme ERP',
  grant_type: 'client_credentials',
  client_id: '0f3c9a2b7e514d6a8c1b2d3e4f5a6b7c',
  scopes: ['core.invoice.read', 'core.supplier.read'],
  scope: 'core.invoice.read core.supplier.read',
  login: 'acme-erp',
  contact_first_name: 'Ada',
  contact_last_name: 'Lovelace',
  contact_email: 'ada@example.com',
  active: true,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-02T00:00:00.000Z',
  previous_secret_expires_at: null,
  tokens_revoked_at: null,
}
/** When the fake server cut off the tokens of client 7 (revoke-tokens, rotate-secret --revoke-tokens). */
export const CUT_OFF = '2025-01-03T00:00:00.000Z'
/** A server that wrongly echoes the secret everywhere: the CLI must still print it only once. */
export const LEAKY = { ...CLIENT, client_secret: SECRET }

export function fakeAdminApi(request: RecordedRequest): FakeResponse {
  const key = `${request.method} ${request.url}`
  if (key === 'POST /admin/v1/oauth2/clients') {
    const body = JSON.parse(request.body) as { grant_type: string }
    if (body.grant_type !== 'client_credentials') {
      return {
        status: 400,
        body: {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'The client is invalid.',
          errors: { grant_type: ['must be client_credentials'] },
        },
      }
    }
    return { status: 201, body: LEAKY }
  }
  if (key === 'GET /admin/v1/oauth2/clients') return { status: 200, body: { clients: [LEAKY] } }
  if (key === 'GET /admin/v1/oauth2/clients/missing') {
    return { status: 404, body: { title: 'Not Found', status: 404, detail: 'No OAuth client missing.' } }
  }
  if (key.startsWith('GET /admin/v1/oauth2/clients/')) return { status: 200, body: LEAKY }
  if (key === 'PATCH /admin/v1/oauth2/clients/7')
    return { status: 200, body: { ...LEAKY, ...JSON.parse(request.body) } }
  if (key === 'POST /admin/v1/oauth2/clients/7/activate')
    return { status: 200, body: { ...LEAKY, active: true } }
  if (key === 'POST /admin/v1/oauth2/clients/7/deactivate')
    return { status: 200, body: { ...LEAKY, active: false } }
  if (key === 'POST /admin/v1/oauth2/clients/7/tokens/revoke')
    return { status: 200, body: { ...LEAKY, tokens_revoked_at: CUT_OFF } }
  if (key === 'POST /admin/v1/oauth2/clients/7/secret') {
    const body = JSON.parse(request.body) as { grace_period_seconds?: number; revoke_tokens?: boolean }
    const until = body.grace_period_seconds === undefined ? null : '2025-01-01T01:00:00.000Z'
    const cutOff = body.revoke_tokens === true ? CUT_OFF : null
    return {
      status: 200,
      body: { client_secret: NEW_SECRET, previous_secret_expires_at: until, tokens_revoked_at: cutOff },
    }
  }
  return { status: 500, body: { title: 'unexpected request', status: 500, detail: key } }
}
