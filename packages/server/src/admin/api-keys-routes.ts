import type { FastifyInstance } from 'fastify'
import type { ApiKeyService } from '../api-keys/service.ts'
import type { Clock } from '../clock.ts'
import type { ApiKeyRecord } from '../store/store.ts'
import { apiKeyCreateBody, parseBody } from './schemas.ts'
import { iso } from './views.ts'

type IdParams = { Params: { id: string } }

/** Legacy API keys under /admin/v1/api-keys: the key appears once, in the create response. */
export function registerApiKeyRoutes(app: FastifyInstance, apiKeys: ApiKeyService, clock: Clock): void {
  const view = (key: ApiKeyRecord) => apiKeyView(key, clock.now())

  app.post('/api-keys', async function createApiKey(request, reply) {
    const body = parseBody(apiKeyCreateBody, request.body)
    const { record, key } = await apiKeys.create({
      name: body.name,
      description: body.description,
      contactFirstName: body.contact_first_name,
      contactLastName: body.contact_last_name,
      contactLogin: body.contact_login,
      contactEmail: body.contact_email,
      expiresOn: body.expires_on,
      permissions: body.permissions,
    })
    request.log.info({ api_key_id: record.id }, 'API key created')
    reply.code(201).header('cache-control', 'no-store')
    return { ...view(record), key }
  })

  app.get('/api-keys', async function listApiKeys() {
    return { api_keys: (await apiKeys.list()).map(view) }
  })

  app.get<IdParams>('/api-keys/:id', async function showApiKey(request) {
    return view(await apiKeys.get(request.params.id))
  })

  app.post<IdParams>('/api-keys/:id/revoke', async function revokeApiKey(request) {
    const record = await apiKeys.revoke(request.params.id)
    request.log.info({ api_key_id: record.id }, 'API key revoked')
    return view(record)
  })
}

/** An API key as the admin API shows it: never the key or its hash. */
export function apiKeyView(key: ApiKeyRecord, now: number) {
  const today = new Date(now).toISOString().slice(0, 10)
  const state =
    key.revokedAt !== null
      ? 'revoked'
      : key.expiresOn !== null && key.expiresOn <= today
        ? 'expired'
        : 'active'
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    contact_first_name: key.contactFirstName,
    contact_last_name: key.contactLastName,
    contact_login: key.contactLogin,
    contact_email: key.contactEmail,
    expires_on: key.expiresOn,
    permissions: key.permissions,
    state,
    revoked_at: iso(key.revokedAt),
    created_at: iso(key.createdAt),
    updated_at: iso(key.updatedAt),
  }
}
