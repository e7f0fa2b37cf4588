import type { SigningKey } from '../oauth/signing-keys.ts'
import type { OAuthClientRecord } from '../store/store.ts'
import { iso, isoAt } from '../transition/time.ts'
import type { ClientView, SigningKeyView } from './wire.ts'

/** An OAuth client as the admin API shows it: never its secret or the secret's hash. */
export function clientView(client: OAuthClientRecord): ClientView {
  return {
    id: client.id,
    name: client.name,
    grant_type: client.grantType,
    client_id: client.clientId,
    scopes: client.scopes,
    // The Oidc Scopes string to paste into the token request.
    scope: client.scopes.join(' '),
    login: client.login,
    contact_first_name: client.contactFirstName,
    contact_last_name: client.contactLastName,
    contact_email: client.contactEmail,
    active: client.active,
    created_at: isoAt(client.createdAt),
    updated_at: isoAt(client.updatedAt),
    previous_secret_expires_at: iso(client.previousSecretExpiresAt),
  }
}

export function signingKeyView(key: SigningKey, currentKid: string): SigningKeyView {
  return {
    kid: key.kid,
    alg: 'ES256',
    created_at: isoAt(key.createdAt),
    retired_at: iso(key.retiredAt),
    active: key.kid === currentKid,
  }
}
