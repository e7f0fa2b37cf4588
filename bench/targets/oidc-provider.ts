// Peer: oidc-provider v9 issuing ES256-signed JWT access tokens with the client-credentials grant.
// Run as its own process: PORT=.. OIDC_CLIENT_ID=.. OIDC_CLIENT_SECRET=.. node --import tsx <this file>
import { randomBytes } from 'node:crypto'
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'

const port = Number(process.env.PORT)
const issuer = `http://127.0.0.1:${port}`
const resourceServer = { scope: 'api:read', accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }

// A small in-process store, so that oidc-provider does not warn about its development adapter.
// JWT access tokens are not stored; this only holds whatever else the provider may save.
const stores = new Map<string, Map<string, Record<string, unknown>>>()
class MapAdapter {
  private store: Map<string, Record<string, unknown>>
  constructor(name: string) {
    this.store = stores.get(name) ?? new Map()
    stores.set(name, this.store)
  }
  async upsert(id: string, payload: Record<string, unknown>) {
    this.store.set(id, payload)
  }
  async find(id: string) {
    return this.store.get(id)
  }
  async findByUid(uid: string) {
    return [...this.store.values()].find((p) => p.uid === uid)
  }
  async findByUserCode(code: string) {
    return [...this.store.values()].find((p) => p.userCode === code)
  }
  async consume(id: string) {
    const payload = this.store.get(id)
    if (payload) payload.consumed = Math.floor(Date.now() / 1000)
  }
  async destroy(id: string) {
    this.store.delete(id)
  }
  async revokeByGrantId(grantId: string) {
    for (const [id, p] of this.store) if (p.grantId === grantId) this.store.delete(id)
  }
}

const { privateKey } = await generateKeyPair('ES256', { extractable: true })
const signingKey = { ...(await exportJWK(privateKey)), kid: 'bench-es256', alg: 'ES256', use: 'sig' }

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
      response_types: [],
      redirect_uris: [],
      scope: 'api:read',
      id_token_signed_response_alg: 'ES256', // the only key is ES256 (the default would be RS256)
    },
  ],
  scopes: ['api:read'],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:keyshift:bench',
      getResourceServerInfo: () => resourceServer,
    },
  },
  ttl: { ClientCredentials: 24 * 60 * 60 },
})

provider.listen(port, '127.0.0.1')
