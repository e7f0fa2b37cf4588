/**
 * One token manager per (instance, client), persisted in the state folder. On reload, a client
 * whose settings did not change keeps its manager (and its token); a changed or removed one is
 * retired, a new one created and warmed up at once.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import {
  createFileTokenStore,
  createTokenManager,
  type FetchLike,
  type TokenManager,
  type TokenStore,
} from '@keyshift/client'
import { networkSignature } from '../../network/settings.ts'
import type { AgentConfig, ClientConfig } from '../config/types.ts'
import type { AgentLogger } from '../telemetry/logger.ts'
import type { NetworkPool } from '../upstream/networks.ts'
import { isUsable, type TokenStatus, trackTokenStatus } from './status.ts'

/** The token file inside state_dir. */
export const TOKEN_FILE = 'tokens.json'

export interface ClientTokens {
  /** `<instance>/<client>`. */
  id: string
  config: ClientConfig
  /** Everything that would change the token: a different signature means a new manager. */
  signature: string
  manager: TokenManager
  status: TokenStatus
}

export interface TokenPoolDeps {
  logger: AgentLogger
  /** Monotonic milliseconds. */
  now: () => number
  /** Replaces the instances' own connections (tests). */
  fetch?: FetchLike
  /** The connections through each instance's proxy, trusting its CAs. */
  networks: NetworkPool
  /** Passed to every token manager (tests use a small one); default the manager's. */
  firstUseDelay?: number
  /** One store per state folder, shared by its managers so their writes are serialised. */
  stores: Map<string, TokenStore>
}

function ignore(): void {}

/** A hash of the client's settings; holds no secret (the secret is hashed first). */
export function clientSignature(client: ClientConfig, stateDir: string): string {
  const secret = createHash('sha256').update(client.clientSecret).digest('hex')
  const scopes = [...new Set(client.scopes)].sort().join(' ')
  const network = networkSignature(client.network)
  const fields = [client.tokenUrl.href, client.clientId, secret, scopes, client.auth, stateDir, network]
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}

function storeFor(stateDir: string, deps: TokenPoolDeps): TokenStore {
  let store = deps.stores.get(stateDir)
  if (store === undefined) {
    store = createFileTokenStore(join(stateDir, TOKEN_FILE))
    deps.stores.set(stateDir, store)
  }
  return store
}

/** Creates the manager of `client`, follows its events and asks for a token at once. */
export function openClientTokens(client: ClientConfig, stateDir: string, deps: TokenPoolDeps): ClientTokens {
  const manager = createTokenManager({
    tokenUrl: client.tokenUrl,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    scope: client.scopes,
    clientAuth: client.auth,
    store: storeFor(stateDir, deps),
    logger: deps.logger.child({ instance: client.instance, client: client.name }),
    fetch: deps.fetch ?? deps.networks.get(client.network).fetch,
    ...(deps.firstUseDelay === undefined ? {} : { firstUseDelay: deps.firstUseDelay }),
  })
  const status = trackTokenStatus(manager, deps.now)
  manager.getToken().catch(ignore) // warm up: failures are logged and tracked by the manager
  return { id: client.id, config: client, signature: clientSignature(client, stateDir), manager, status }
}

/** Stops the manager of a client that is no longer configured. */
export async function closeClientTokens(entry: ClientTokens): Promise<void> {
  entry.status.detach()
  await entry.manager.close()
}

export interface ClientPlan {
  /** The clients of the new configuration. */
  clients: Map<string, ClientTokens>
  /** Managers created for it (closed again if the new configuration is not used after all). */
  created: ClientTokens[]
  /** Managers of `current` it no longer needs (still open: requests may be using them). */
  retired: ClientTokens[]
}

/** The token managers for `config`, reusing those of `current` whose signature is unchanged. */
export function planClients(
  config: AgentConfig,
  current: ReadonlyMap<string, ClientTokens>,
  deps: TokenPoolDeps,
): ClientPlan {
  const clients = new Map<string, ClientTokens>()
  const created: ClientTokens[] = []
  try {
    for (const instance of config.instances.values()) {
      for (const client of instance.clients.values()) {
        const existing = current.get(client.id)
        if (existing !== undefined && existing.signature === clientSignature(client, config.stateDir)) {
          clients.set(client.id, { ...existing, config: client })
          continue
        }
        const entry = openClientTokens(client, config.stateDir, deps)
        created.push(entry)
        clients.set(client.id, entry)
      }
    }
  } catch (error) {
    for (const entry of created) closeClientTokens(entry).catch(ignore)
    throw error
  }
  const retired = [...current.values()].filter((entry) => clients.get(entry.id)?.manager !== entry.manager)
  return { clients, created, retired }
}

/**
 * Asks again for a token for clients that have none usable: the manager only retries on its own
 * while it holds a token, and fails fast (no request) until its backoff allows the next attempt.
 */
export function pokeClientsWithoutToken(clients: Iterable<ClientTokens>, now: number): void {
  for (const entry of clients) {
    if (!isUsable(entry.status.state(now))) entry.manager.getToken().catch(ignore)
  }
}
