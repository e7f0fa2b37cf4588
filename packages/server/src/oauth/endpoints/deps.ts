import type { AccessTokens } from '../access-tokens.ts'
import type { ClientAuthDeps } from '../client-auth.ts'
import type { Revocations } from '../revocations.ts'
import type { KeySet } from '../signing-keys.ts'

/** What the endpoints need: the issuer, the token service, the signing keys, the revocations, client authentication. */
export interface OAuthDeps extends ClientAuthDeps {
  issuer: string
  tokens: AccessTokens
  keys: KeySet
  revocations: Revocations
}
