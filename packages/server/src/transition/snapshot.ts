import type { Clock } from '../contract/clock.ts'
import type {
  ApiKeyRecord,
  OAuthClientRecord,
  PrincipalKind,
  PrincipalUseRecord,
  UsageRecord,
} from '../contract/records.ts'
import type { Store } from '../store/store.ts'

/** The setting that says since when calls are counted (epoch ms): set once, by the first ledger. */
export const COUNTED_SINCE_SETTING = 'usage_counted_since'

/** Everything the review, plan, status and revoke read, at one instant. */
export interface TransitionSnapshot {
  now: number
  keys: ApiKeyRecord[]
  clients: OAuthClientRecord[]
  /** First and last use by `kind` and `id`: see {@link useOf}. */
  uses: ReadonlyMap<string, PrincipalUseRecord>
  /** Counts of every principal whose hour or day ends after `usageSince`. */
  usage: UsageRecord[]
  /**
   * Since when calls are counted. Before that nothing is known: a key is proven unused only once
   * it could have been seen for 30 days. Infinity when no ledger has ever run.
   */
  countedSince: number
}

/** `usageSince` null: no counts (the status needs only first and last uses). */
export type SnapshotReader = (options: { usageSince: number | null }) => Promise<TransitionSnapshot>

export interface SnapshotReaderOptions {
  store: Store
  clock: Clock
  /** Writes this node's counts first (the local ledger's flush), so that a report sees them. */
  flush?: (() => Promise<void>) | undefined
}

export function createSnapshotReader({ store, clock, flush }: SnapshotReaderOptions): SnapshotReader {
  return async function readSnapshot({ usageSince }) {
    await flush?.()
    const now = clock.now()
    const [keys, clients, uses, usage, countedSince] = await Promise.all([
      store.listApiKeys(),
      store.listClients(),
      store.listPrincipalUse(),
      usageSince === null ? [] : store.listUsage(usageSince),
      store.getSetting(COUNTED_SINCE_SETTING),
    ])
    return {
      now,
      keys,
      clients,
      uses: new Map(uses.map((use) => [principalKey(use.principalKind, use.principalId), use])),
      usage,
      countedSince: countedSince === undefined ? Number.POSITIVE_INFINITY : Number(countedSince),
    }
  }
}

export function principalKey(kind: PrincipalKind, id: string): string {
  return `${kind}\n${id}`
}

export function useOf(
  snapshot: Pick<TransitionSnapshot, 'uses'>,
  kind: PrincipalKind,
  id: string,
): PrincipalUseRecord | undefined {
  return snapshot.uses.get(principalKey(kind, id))
}
