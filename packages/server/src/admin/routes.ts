import type { FastifyInstance } from 'fastify'
import type { CustomFields } from '../api/custom-fields.ts'
import type { ApiService } from '../api/service.ts'
import type { ApiKeyService } from '../api-keys/service.ts'
import { findResource, scopeActions, scopeCatalogue } from '../catalogue/index.ts'
import type { ClientService } from '../clients/service.ts'
import type { Clock } from '../contract/clock.ts'
import { NotFoundError } from '../contract/errors.ts'
import { clientView, iso, signingKeyView } from '../contract/views.ts'
import type {
  ClientList,
  CreatedClientView,
  IntegrationHistory,
  RotatedSecret,
  RotatedSigningKey,
  ScopeList,
  ScopeView,
  SigningKeyList,
} from '../contract/wire.ts'
import { problemErrorHandler } from '../http/problem.ts'
import type { KeySet } from '../oauth/signing-keys.ts'
import type { Transition } from '../transition/create.ts'
import { registerApiKeyRoutes } from './api-keys-routes.ts'
import type { AdminAuth } from './auth.ts'
import { registerCustomFieldRoutes } from './custom-fields-routes.ts'
import { clientCreateBody, clientUpdateBody, parseBody, secretRotationBody } from './schemas.ts'
import { registerTransitionRoutes } from './transition-routes.ts'

export interface AdminDeps {
  auth: AdminAuth
  clients: ClientService
  keys: KeySet
  apiKeys: ApiKeyService
  clock: Clock
  api: ApiService
  transition: Transition
  customFields: CustomFields
}

type IdParams = { Params: { id: string } }

/** The admin JSON API under /admin/v1 (HTTP Basic with an admin user, or the Setup pages' session). */
export async function adminRoutes(
  app: FastifyInstance,
  { auth, clients, keys, apiKeys, clock, api, transition, customFields }: AdminDeps,
): Promise<void> {
  app.setErrorHandler(problemErrorHandler)
  app.addHook('onRequest', auth.hook)
  registerApiKeyRoutes(app, { apiKeys, clients, clock, transition })
  registerTransitionRoutes(app, transition)
  registerCustomFieldRoutes(app, customFields)

  // Coupa's "Integration History": which client or API key created and changed a record.
  app.get<{ Params: { resource: string; id: string } }>(
    '/integration-history/:resource/:id',
    async function integrationHistory(request): Promise<IntegrationHistory> {
      const def = findResource(request.params.resource)
      if (!def) throw new NotFoundError(`no resource ${JSON.stringify(request.params.resource.slice(0, 40))}`)
      return {
        resource: def.name,
        id: Number(request.params.id),
        entries: await api.history(def, request.params.id),
      }
    },
  )

  // Each scope with the `resource#action` pairs of the core API it grants (the Scopes page).
  const scopesView: ScopeList = {
    scopes: scopeCatalogue.map(
      (scope): ScopeView => ({
        name: scope.name,
        description: scope.description,
        object: scope.object,
        service: scope.service,
        actions: scopeActions(scope.name),
      }),
    ),
  }
  app.get('/scopes', async function listScopes(): Promise<ScopeList> {
    return scopesView
  })

  app.post('/oauth2/clients', async function createClient(request, reply): Promise<CreatedClientView> {
    const { client, secret } = await clients.create(parseBody(clientCreateBody, request.body))
    request.log.info({ client_id: client.clientId }, 'OAuth client created')
    // The only response that ever carries the secret.
    reply.code(201).header('cache-control', 'no-store')
    return { ...clientView(client), client_secret: secret }
  })

  app.get('/oauth2/clients', async function listClients(): Promise<ClientList> {
    return { clients: (await clients.list()).map(clientView) }
  })

  app.get<IdParams>('/oauth2/clients/:id', async function showClient(request) {
    return clientView(await clients.get(request.params.id))
  })

  app.patch<IdParams>('/oauth2/clients/:id', async function updateClient(request) {
    const client = await clients.update(request.params.id, parseBody(clientUpdateBody, request.body))
    request.log.info({ client_id: client.clientId }, 'OAuth client updated')
    return clientView(client)
  })

  app.post<IdParams>('/oauth2/clients/:id/activate', async function activateClient(request) {
    return clientView(await clients.setActive(request.params.id, true))
  })

  app.post<IdParams>('/oauth2/clients/:id/deactivate', async function deactivateClient(request) {
    const client = await clients.setActive(request.params.id, false)
    request.log.info({ client_id: client.clientId }, 'OAuth client deactivated')
    return clientView(client)
  })

  app.post<IdParams>('/oauth2/clients/:id/tokens/revoke', async function revokeClientTokens(request) {
    const client = await clients.revokeTokens(request.params.id)
    request.log.info({ client_id: client.clientId }, "OAuth client's tokens revoked")
    return clientView(client)
  })

  app.post<IdParams>(
    '/oauth2/clients/:id/secret',
    async function rotateClientSecret(request, reply): Promise<RotatedSecret> {
      const { gracePeriodSeconds, revokeTokens } = parseBody(secretRotationBody, request.body)
      const { client, secret } = await clients.rotateSecret(request.params.id, gracePeriodSeconds, {
        revokeTokens,
      })
      request.log.info(
        { client_id: client.clientId, revoke_tokens: revokeTokens === true },
        'OAuth client secret rotated',
      )
      reply.header('cache-control', 'no-store')
      return {
        client_secret: secret,
        previous_secret_expires_at: iso(client.previousSecretExpiresAt),
        tokens_revoked_at: iso(client.tokensRevokedAt),
      }
    },
  )

  app.get('/signing-keys', async function listSigningKeys(): Promise<SigningKeyList> {
    const current = keys.current.kid
    return { keys: keys.all.map((key) => signingKeyView(key, current)) }
  })

  app.post('/signing-keys/rotate', async function rotateSigningKey(request): Promise<RotatedSigningKey> {
    const key = await keys.rotate()
    request.log.info({ kid: key.kid }, 'signing key rotated')
    return { kid: key.kid, keys: keys.all.map((k) => signingKeyView(k, key.kid)) }
  })
}
