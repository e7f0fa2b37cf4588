// What the token-endpoint references (bare-es256.ts, fastify-es256.ts) do per request: sign one
// RFC 9068-shaped ES256 JWT with node:crypto on libuv's thread pool and build the token response
// around it, as Keyshift's endpoint answers it. No client authentication, no store.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'

export const SCOPE = 'core.invoice.read core.common.read'

/** A signer for `issuer`: each call answers the JSON body of a token response, or the signing error. */
export function tokenSigner(issuer: string): (done: (error: Error | null, body?: string) => void) => void {
  const clientId = randomBytes(16).toString('hex')
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  // The header of Keyshift's tokens: a kid of the same length (a JWK thumbprint).
  const header = base64url({ alg: 'ES256', typ: 'at+jwt', kid: randomBytes(32).toString('base64url') })
  return function signToken(done) {
    const iat = Math.floor(Date.now() / 1000)
    const jti = randomBytes(16).toString('base64url')
    const claims = {
      iss: issuer,
      sub: clientId,
      client_id: clientId,
      aud: `${issuer}/api`,
      scope: SCOPE,
      iat,
      exp: iat + 86_399,
      jti,
    }
    const input = `${header}.${base64url(claims)}`
    sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }, (error, signature) => {
      if (error) return done(error)
      const token = `${input}.${signature.toString('base64url')}`
      done(
        null,
        JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 86_399, scope: SCOPE }),
      )
    })
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
