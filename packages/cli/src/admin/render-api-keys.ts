/** Human output of `keyshift admin api-keys`. Only `API_KEY_CREATED` prints a key. */
import type { ApiKeyView, CreatedApiKeyView } from '@keyshift/server/admin-api'
import { joinPath } from '../net.ts'
import { fields, table } from '../output.ts'
import { listPrinter, type Printer } from './command.ts'
import { formatCreation } from './render.ts'

/** A key's record without the key itself, for every output but create's, even if a server sent it. */
function withoutKey(apiKey: ApiKeyView & { key?: string }): ApiKeyView {
  const { key: _key, ...rest } = apiKey
  return rest
}

function contact(apiKey: ApiKeyView): string {
  const name = [apiKey.contact_first_name, apiKey.contact_last_name].filter((part) => part).join(' ')
  return [name, `<${apiKey.contact_email}>`].filter((part) => part !== '').join(' ')
}

function permissions(apiKey: ApiKeyView): string {
  return apiKey.permissions === null || apiKey.permissions.length === 0
    ? 'every API'
    : apiKey.permissions.join(' ')
}

function expires(apiKey: ApiKeyView): string {
  return apiKey.expires_on === null ? 'never' : `${apiKey.expires_on} at 00:00 UTC`
}

function formatApiKey(apiKey: ApiKeyView): string {
  return `${fields([
    ['Name', apiKey.name],
    ['Id', apiKey.id],
    ['Description', apiKey.description ?? undefined],
    ['State', apiKey.state],
    ['Contact', contact(apiKey)],
    ['Contact login', apiKey.contact_login],
    ['Expires', expires(apiKey)],
    ['Permissions', permissions(apiKey)],
    ['Revoked', apiKey.revoked_at ?? undefined],
    ['Created', apiKey.created_at],
    ['Updated', apiKey.updated_at],
  ])}\n`
}

/** One key, as `show` and `revoke` print it: without the key itself. */
export const API_KEY: Printer<ApiKeyView> = { shown: withoutKey, format: formatApiKey }

function formatApiKeyList(apiKeys: ApiKeyView[]): string {
  if (apiKeys.length === 0) {
    return 'No API keys. OAuth 2.0 clients replace them: `keyshift admin clients create`.\n'
  }
  const rows = apiKeys.map((k) => [
    k.id,
    k.name,
    k.contact_login,
    k.state,
    k.expires_on ?? 'never',
    k.created_at,
  ])
  return `${table(['ID', 'NAME', 'CONTACT LOGIN', 'STATE', 'EXPIRES', 'CREATED'], rows)}\n`
}

export const API_KEY_LIST = listPrinter('api_keys', API_KEY, formatApiKeyList)

/** A first call of the core API with the key, ready to paste (the URL quoted for zsh's `?`). */
function apiKeyCurl(apiKey: CreatedApiKeyView, instance: URL): string {
  const url = `${joinPath(instance, '/api/invoices').href}?limit=1`
  return `curl -H "X-COUPA-API-KEY: ${apiKey.key}" -H "Accept: application/json" "${url}"`
}

const API_KEY_WARNING = [
  'warning: the API key is shown only this once and cannot be shown again; store it now in a secret',
  'manager. If it is lost, revoke it and create another.',
  'warning: API keys are legacy: OAuth 2.0 clients replace them (`keyshift admin clients create`);',
  'move this integration to a client when you can.',
  '',
].join('\n')

/** The new key, printed this once, with a curl that calls the API with it. */
export const API_KEY_CREATED: Printer<CreatedApiKeyView> = {
  format: (apiKey, { instance }) => {
    const values: [string, string][] = [
      ['Key', apiKey.key],
      ['Contact login', apiKey.contact_login],
      ['Expires', expires(apiKey)],
      ['Permissions', permissions(apiKey)],
    ]
    return formatCreation('API key', apiKey, values, `Call the API with it:\n${apiKeyCurl(apiKey, instance)}`)
  },
  warning: API_KEY_WARNING,
}
