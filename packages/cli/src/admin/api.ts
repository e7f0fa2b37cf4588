/** A client of the admin JSON API (`/admin/v1`), one function per endpoint, HTTP Basic auth. */
import type {
  ApiKeyList,
  ApiKeyView,
  ClientChanges,
  ClientList,
  ClientView,
  CreatedApiKeyView,
  CreatedClientView,
  CustomFieldChanges,
  CustomFieldList,
  CustomFieldView,
  NewApiKey,
  NewClient,
  NewCustomField,
  RotatedSecret,
  RotatedSigningKey,
  ScopeList,
  SecretRotation,
  SigningKeyList,
} from '@keyshift/server/admin-api'
import { CliError } from '../errors.ts'
import { displayUrl, joinPath, networkReason, REQUEST_TIMEOUT_MS } from '../net.ts'
import { adminFailure } from './problem.ts'

export interface AdminApiOptions {
  /** Base URL of the instance, e.g. http://127.0.0.1:8080. */
  url: URL
  user: string
  password: string
  fetch: typeof fetch
}

export interface AdminRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT'
  path: string
  body?: unknown
  /** A field the answer must have, to tell a Keyshift instance from anything else listening. */
  expect: string
}

/** RFC 7617: base64 of `user:password` in UTF-8. https://www.rfc-editor.org/rfc/rfc7617#section-2 */
export function adminAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`
}

async function send(options: AdminApiOptions, request: AdminRequest, url: URL): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: adminAuthorization(options.user, options.password),
  }
  if (request.body !== undefined) headers['content-type'] = 'application/json'
  try {
    return await options.fetch(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
  } catch (error) {
    throw new CliError(
      'KS_ADMIN_UNREACHABLE',
      `cannot reach the admin API at ${displayUrl(options.url)} (${networkReason(error)}); is \`keyshift serve\` running? set --url or KEYSHIFT_URL`,
      { cause: error },
    )
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Sends one request; the answer's JSON, or a CliError with the code of the failure. */
export async function adminRequest<T>(options: AdminApiOptions, request: AdminRequest): Promise<T> {
  const url = joinPath(options.url, request.path)
  const response = await send(options, request, url)
  if (response.status < 200 || response.status > 299) {
    throw await adminFailure(response, { method: request.method, path: request.path, user: options.user })
  }
  const body = parseJson(await response.text())
  if (typeof body !== 'object' || body === null || !(request.expect in body)) {
    throw new CliError(
      'KS_ADMIN_RESPONSE_INVALID',
      `${request.method} ${request.path} did not answer the admin API's JSON; is --url a Keyshift instance?`,
    )
  }
  return body as T
}

function clientPath(id: string, action = ''): string {
  return `/admin/v1/oauth2/clients/${encodeURIComponent(id)}${action}`
}

function apiKeyPath(id: string, action = ''): string {
  return `/admin/v1/api-keys/${encodeURIComponent(id)}${action}`
}

/** The endpoints, bound to one instance and one admin user. */
export function createAdminApi(options: AdminApiOptions) {
  const call = <T>(request: AdminRequest): Promise<T> => adminRequest<T>(options, request)
  return {
    listScopes: () => call<ScopeList>({ method: 'GET', path: '/admin/v1/scopes', expect: 'scopes' }),
    createClient: (client: NewClient) =>
      call<CreatedClientView>({
        method: 'POST',
        path: '/admin/v1/oauth2/clients',
        body: client,
        expect: 'client_id',
      }),
    listClients: () =>
      call<ClientList>({
        method: 'GET',
        path: '/admin/v1/oauth2/clients',
        expect: 'clients',
      }),
    getClient: (id: string) => call<ClientView>({ method: 'GET', path: clientPath(id), expect: 'client_id' }),
    updateClient: (id: string, changes: ClientChanges) =>
      call<ClientView>({ method: 'PATCH', path: clientPath(id), body: changes, expect: 'client_id' }),
    activateClient: (id: string) =>
      call<ClientView>({ method: 'POST', path: clientPath(id, '/activate'), expect: 'client_id' }),
    deactivateClient: (id: string) =>
      call<ClientView>({ method: 'POST', path: clientPath(id, '/deactivate'), expect: 'client_id' }),
    revokeClientTokens: (id: string) =>
      call<ClientView>({ method: 'POST', path: clientPath(id, '/tokens/revoke'), expect: 'client_id' }),
    rotateSecret: (id: string, rotation: SecretRotation) =>
      call<RotatedSecret>({
        method: 'POST',
        path: clientPath(id, '/secret'),
        body: rotation,
        expect: 'client_secret',
      }),
    // `key` is expected only from create: the one answer that carries it.
    createApiKey: (apiKey: NewApiKey) =>
      call<CreatedApiKeyView>({ method: 'POST', path: '/admin/v1/api-keys', body: apiKey, expect: 'key' }),
    listApiKeys: () => call<ApiKeyList>({ method: 'GET', path: '/admin/v1/api-keys', expect: 'api_keys' }),
    getApiKey: (id: string) =>
      call<ApiKeyView>({ method: 'GET', path: apiKeyPath(id), expect: 'contact_login' }),
    /** `force`: revoke a key that is not ready_to_revoke (servers that check readiness answer 409). */
    revokeApiKey: (id: string, force = false) =>
      call<ApiKeyView>({
        method: 'POST',
        path: apiKeyPath(id, '/revoke'),
        // No body without force: older servers take none.
        ...(force && { body: { force: true } }),
        expect: 'contact_login',
      }),
    listCustomFields: () =>
      call<CustomFieldList>({ method: 'GET', path: '/admin/v1/custom-fields', expect: 'custom_fields' }),
    createCustomField: (field: NewCustomField) =>
      call<CustomFieldView>({ method: 'POST', path: '/admin/v1/custom-fields', body: field, expect: 'name' }),
    updateCustomField: (id: string, changes: CustomFieldChanges) =>
      call<CustomFieldView>({
        method: 'PATCH',
        path: `/admin/v1/custom-fields/${encodeURIComponent(id)}`,
        body: changes,
        expect: 'name',
      }),
    listKeys: () => call<SigningKeyList>({ method: 'GET', path: '/admin/v1/signing-keys', expect: 'keys' }),
    rotateKeys: () =>
      call<RotatedSigningKey>({
        method: 'POST',
        path: '/admin/v1/signing-keys/rotate',
        expect: 'kid',
      }),
  }
}

export type AdminApi = ReturnType<typeof createAdminApi>
