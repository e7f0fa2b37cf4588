import type { FastifyInstance } from 'fastify'
import type { ApiKeyService } from '../api-keys/service.ts'
import type { ClientService } from '../clients/service.ts'
import type { Clock } from '../contract/clock.ts'
import type { ApiKeyRecord } from '../contract/records.ts'
import { apiKeyView } from '../contract/views.ts'
import type { ApiKeyList, CreatedApiKeyView } from '../contract/wire.ts'
import type { Transition } from '../transition/create.ts'
import { checkSignalDates } from '../transition/settings.ts'
import { apiKeyCreateBody, parseBody } from './schemas.ts'
import { actorOf } from './transition-routes.ts'
import { apiKeyRevokeBody, replacementBody, signalsBody } from './transition-schemas.ts'

type IdParams = { Params: { id: string } }

export interface ApiKeyRouteDeps {
  apiKeys: ApiKeyService
  clients: Pick<ClientService, 'get'>
  clock: Clock
  transition: Pick<Transition, 'revoker' | 'settings'>
}

/** Legacy API keys under /admin/v1/api-keys: the key appears once, in the create response. */
export function registerApiKeyRoutes(app: FastifyInstance, deps: ApiKeyRouteDeps): void {
  const { apiKeys, clients, clock, transition } = deps
  const view = (key: ApiKeyRecord) => apiKeyView(key, clock.now())

  app.post('/api-keys', async function createApiKey(request, reply): Promise<CreatedApiKeyView> {
    const { record, key } = await apiKeys.create(parseBody(apiKeyCreateBody, request.body))
    request.log.info({ api_key_id: record.id }, 'API key created')
    reply.code(201).header('cache-control', 'no-store')
    return { ...view(record), key }
  })

  app.get('/api-keys', async function listApiKeys(): Promise<ApiKeyList> {
    return { api_keys: (await apiKeys.list()).map(view) }
  })

  app.get<IdParams>('/api-keys/:id', async function showApiKey(request) {
    return view(await apiKeys.get(request.params.id))
  })

  app.post<IdParams>('/api-keys/:id/revoke', async function revokeApiKey(request) {
    const { force } = parseBody(apiKeyRevokeBody, request.body)
    // Through the transition's revoker: its readiness rule (409 unless ready or forced), its audit log.
    const record = await transition.revoker.revokeOne(request.params.id, {
      force,
      actor: actorOf(request),
      via: 'api_keys',
    })
    request.log.info({ api_key_id: record.id, force }, 'API key revoked')
    return view(record)
  })

  // docs/TRANSITION.md: the OAuth client that replaces the key (set by `keyshift transition apply`).
  app.put<IdParams>('/api-keys/:id/replacement', async function setApiKeyReplacement(request) {
    const body = parseBody(replacementBody, request.body)
    const key = await apiKeys.get(request.params.id)
    const clientId = body.clientId === null ? null : (await clients.get(body.clientId)).clientId
    const record = await apiKeys.setReplacement(key.id, clientId)
    request.log.info({ api_key_id: record.id, client_id: clientId }, 'API key replacement set')
    return view(record)
  })

  // docs/TRANSITION.md: this key's Deprecation and Sunset dates, over the instance's.
  app.put<IdParams>('/api-keys/:id/signals', async function setApiKeySignals(request) {
    const body = parseBody(signalsBody, request.body)
    const key = await apiKeys.get(request.params.id)
    const deprecationAt = body.deprecationAt === undefined ? key.deprecationAt : body.deprecationAt
    const sunsetAt = body.sunsetAt === undefined ? key.sunsetAt : body.sunsetAt
    const instance = transition.settings.current
    checkSignalDates(deprecationAt ?? instance.deprecationAt, sunsetAt ?? instance.sunsetAt)
    return view(await apiKeys.setSignals(key.id, { deprecationAt, sunsetAt }))
  })
}
