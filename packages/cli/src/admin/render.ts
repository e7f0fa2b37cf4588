/** Human output of the admin commands. Only `CLIENT_CREATED` and `formatRotated` print a secret. */
import type {
  ClientView,
  CreatedClientView,
  RotatedSecret,
  ScopeView,
  SigningKeyView,
} from '@keyshift/server/admin-api'
import { joinPath } from '../net.ts'
import { fields, paragraphs, table } from '../output.ts'
import { listPrinter, type Printer } from './command.ts'

/** A client without its secret, for every output but create's, even if a server sent it elsewhere. */
function withoutSecret(client: ClientView & { client_secret?: string }): ClientView {
  const { client_secret: _secret, ...rest } = client
  return rest
}

function contact(client: ClientView): string | undefined {
  const name = [client.contact_first_name, client.contact_last_name].filter((part) => part).join(' ')
  const email = client.contact_email ? `<${client.contact_email}>` : ''
  const text = [name, email].filter((part) => part !== '').join(' ')
  return text === '' ? undefined : text
}

function previousSecret(client: ClientView): string | undefined {
  const until = client.previous_secret_expires_at
  return until === null ? undefined : `still accepted until ${until}`
}

function tokensRevoked(client: ClientView): string | undefined {
  const until = client.tokens_revoked_at
  return until === null ? undefined : `issued until ${until} are refused`
}

function formatClient(client: ClientView): string {
  return `${fields([
    ['Name', client.name],
    ['Id', client.id],
    ['Identifier', client.client_id],
    ['Grant type', client.grant_type],
    ['Status', client.active ? 'active' : 'inactive'],
    ['Login', client.login],
    ['Contact', contact(client)],
    ['Oidc Scopes', client.scope],
    ['Previous secret', previousSecret(client)],
    ['Tokens revoked', tokensRevoked(client)],
    ['Created', client.created_at],
    ['Updated', client.updated_at],
  ])}\n`
}

/** One client, as `show`, `update`, `activate`, `deactivate` and `revoke-tokens` print it: without its secret. */
export const CLIENT: Printer<ClientView> = { shown: withoutSecret, format: formatClient }

function formatClientList(clients: ClientView[]): string {
  if (clients.length === 0) return 'No OAuth clients yet. Create one with `keyshift admin clients create`.\n'
  const rows = clients.map((c) => [
    c.id,
    c.client_id,
    c.name,
    c.active ? 'active' : 'inactive',
    String(c.scopes.length),
  ])
  return `${table(['ID', 'IDENTIFIER', 'NAME', 'STATUS', 'SCOPES'], rows)}\n`
}

export const CLIENT_LIST = listPrinter('clients', CLIENT, formatClientList)

/** The token request of Coupa's OAuth 2.0 guide, ready to paste. */
function curlCommand(client: CreatedClientView, instance: URL): string {
  const data = `client_id=${client.client_id}&grant_type=client_credentials&scope=${client.scope}&client_secret=${client.client_secret}`
  const endpoint = joinPath(instance, '/oauth2/token').href
  return `curl -X POST -H "Content-Type: application/x-www-form-urlencoded" -d "${data}" ${endpoint}`
}

export const SECRET_WARNING =
  'warning: the Secret is shown only this once; store it now in a secret manager. If it is lost, rotate it.\n'

/** What a creation prints, once: what was made, the values to keep (its secret among them), what next. */
export function formatCreation(
  kind: string,
  made: { name: string; id: string },
  values: [string, string][],
  next: string,
): string {
  return paragraphs([`Created ${kind} "${made.name}" (id ${made.id}).`, fields(values), next])
}

/** The new client, its Secret printed this once, with the token request of Coupa's guide. */
export const CLIENT_CREATED: Printer<CreatedClientView> = {
  format: (client, { instance }) => {
    const values: [string, string][] = [
      ['Identifier', client.client_id],
      ['Secret', client.client_secret],
      ['Oidc Scopes', client.scope],
    ]
    return formatCreation(
      'OAuth client',
      client,
      values,
      `Request a token:\n${curlCommand(client, instance)}`,
    )
  },
  warning: SECRET_WARNING,
}

/** The new secret, when the previous one stops, and, if they were revoked, until when tokens are refused. */
export function formatRotated(id: string, rotated: RotatedSecret, revokedTokens: boolean): string {
  const previous =
    rotated.previous_secret_expires_at === null
      ? 'The previous secret stopped working now.'
      : `The previous secret keeps working until ${rotated.previous_secret_expires_at}.`
  const tokens =
    revokedTokens && rotated.tokens_revoked_at !== null
      ? `\nEvery access token issued until ${rotated.tokens_revoked_at} is refused.`
      : ''
  return paragraphs([
    `New secret of client ${id}:`,
    fields([['Secret', rotated.client_secret]]),
    previous + tokens,
  ])
}

/** Each scope, what it is for, and the core API actions it grants on this instance. */
export function formatScopes(scopes: ScopeView[]): string {
  return `${table(
    ['SCOPE', 'DESCRIPTION', 'GRANTS'],
    scopes.map((s) => [s.name, s.description, grants(s)]),
  )}\n`
}

/** `invoices#abandon invoices#void` → `invoices: abandon, void`; a scope of Coupa's list may grant none here. */
function grants(scope: ScopeView): string {
  if (scope.actions.length === 0)
    return scope.service === 'oidc' ? '(OpenID Connect)' : '(not served by this instance)'
  const byResource = new Map<string, string[]>()
  for (const pair of scope.actions) {
    const [resource = '', action = ''] = pair.split('#')
    byResource.set(resource, [...(byResource.get(resource) ?? []), action])
  }
  return [...byResource].map(([resource, actions]) => `${resource}: ${actions.join(', ')}`).join('; ')
}

export function formatKeys(keys: SigningKeyView[]): string {
  const rows = keys.map((k) => [
    k.kid,
    k.alg,
    k.active ? 'active' : 'retired',
    k.created_at,
    k.retired_at ?? '',
  ])
  return `${table(['KID', 'ALG', 'STATUS', 'CREATED', 'RETIRED'], rows)}\n`
}
