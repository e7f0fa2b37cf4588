/**
 * Changes pushed from the node that made them to every node of the same database, so that the
 * caches of the hot paths (clients, API keys, revocations, signing keys, transition settings) are
 * dropped or read again at once instead of on the next poll. PostgreSQL implements it with
 * LISTEN/NOTIFY (postgres-changes.ts); the embedded store has one node and no feed.
 */

/** The channel every node listens on (one per database: the nodes of one instance). */
export const CHANGES_CHANNEL = 'keyshift_changes'

/** What changed. Identifiers only: a payload never carries a secret, a hash or a record. */
export type Change =
  /** An OAuth client (by its client_id): deactivated, activated, scopes changed, secret rotated. */
  | { kind: 'client'; clientId: string }
  /** An API key (by its id): created, revoked, expiry or signals changed. */
  | { kind: 'api_key'; id: string }
  /** An access token was revoked. */
  | { kind: 'revocations' }
  /** A signing key was added or retired. */
  | { kind: 'signing_keys' }
  /** A setting (the transition settings, brownouts). */
  | { kind: 'settings' }
  /** Anything, or something this node does not know (a newer node): drop and read everything. */
  | { kind: 'everything' }

export interface ChangeListener {
  /** A change committed through some node, this one included. */
  change(change: Change): void
  /**
   * The feed listens (again): changes made while it did not may have been missed, so everything
   * should be read again. Called on the first connection and after every reconnection.
   */
  listening(): void
  /** The feed lost its connection and reconnects with backoff; until `listening`, poll quickly. */
  interrupted(error: unknown): void
}

export interface ChangeFeed {
  /** Starts listening on the first subscription; the returned function unsubscribes. */
  subscribe(listener: ChangeListener): () => void
  /** True while changes are pushed: the fallback poll and the caches may be slower. */
  readonly listening: boolean
}

const CLIENT_ID = /^client:([0-9a-f]{32})$/
const API_KEY_ID = /^api_key:([0-9a-f-]{36})$/
const SIMPLE = new Set(['revocations', 'signing_keys', 'settings', 'everything'])

/**
 * Reads a notification payload: `client:<client_id>`, `api_key:<id>`, `revocations`,
 * `signing_keys`, `settings` (PostgreSQL's triggers write them: migrations.ts). Anything unknown (a newer node's kind, a typo) means "read everything again". */
export function parseChange(payload: string): Change {
  const client = CLIENT_ID.exec(payload)
  if (client?.[1]) return { kind: 'client', clientId: client[1] }
  const key = API_KEY_ID.exec(payload)
  if (key?.[1]) return { kind: 'api_key', id: key[1] }
  if (SIMPLE.has(payload)) return { kind: payload as 'revocations' | 'signing_keys' | 'settings' }
  return { kind: 'everything' }
}
