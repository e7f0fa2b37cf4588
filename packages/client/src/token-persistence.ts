/**
 * The token manager's side of a TokenStore: reads that never fail (a broken store is a miss,
 * logged at warn), writes in the background that close() can wait for.
 */
import { type HeldToken, heldFromStored, storedFromHeld } from './token-acquisition.ts'
import type { ResolvedTokenManagerOptions } from './token-manager-options.ts'

/** The store as the token manager uses it. Without a store every method does nothing. */
export interface Persistence {
  /**
   * The stored token on this process's clock, if it helps: not `current`, not one given to
   * `reject()`, before its hard expiry, and still fresh when there is a current token.
   * `undefined` otherwise, or when the store failed.
   */
  load(current: HeldToken | undefined): Promise<HeldToken | undefined>
  save(held: HeldToken): void
  /** Removes `held` from the store if it is still there, and never loads it again. */
  reject(held: HeldToken): void
  /** Resolves when every write started so far has finished. */
  flush(): Promise<void>
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function ignore(): void {}

/** Fingerprints of rejected tokens remembered, so a slow store cannot hand one back. */
const REJECTED_MEMORY = 8

/** The Persistence of a token manager with options `config`. */
export function createPersistence(config: ResolvedTokenManagerOptions): Persistence {
  const { store, logger, key } = config
  const writes = new Set<Promise<void>>()
  /** Fingerprints of rejected tokens, newest last. */
  const rejected: string[] = []

  function track(write: () => Promise<void>, message: string): void {
    const tracked = Promise.resolve()
      .then(write)
      .then(ignore, (error: unknown) => logger.warn({ reason: reason(error) }, message))
    writes.add(tracked)
    tracked.finally(() => writes.delete(tracked))
  }

  async function read(): Promise<HeldToken | undefined> {
    if (store === undefined) return undefined
    try {
      const stored = await store.load(key)
      return stored === undefined ? undefined : heldFromStored(config, stored)
    } catch (error) {
      logger.warn({ reason: reason(error) }, 'token store unusable; treated as a miss')
      return undefined
    }
  }

  return {
    load: async function loadToken(current): Promise<HeldToken | undefined> {
      const held = await read()
      const now = config.clock.now()
      if (held === undefined || held.token === current?.token || rejected.includes(held.fingerprint))
        return undefined
      if (now >= held.hardExpiry || (current !== undefined && now >= held.refreshAt)) return undefined
      return held
    },
    save: function saveToken(held: HeldToken): void {
      if (store !== undefined) track(() => store.save(key, storedFromHeld(held)), 'cannot save the token')
    },
    reject: function rejectToken(held: HeldToken): void {
      rejected.push(held.fingerprint)
      if (rejected.length > REJECTED_MEMORY) rejected.shift()
      if (store !== undefined)
        track(() => store.remove(key, held.token), 'cannot remove the token from the store')
    },
    flush: async function flushWrites(): Promise<void> {
      await Promise.all([...writes])
    },
  }
}
