import type { Clock } from '../contract/clock.ts'

export interface AuthThrottleOptions {
  clock: Clock
  /** Failures one address may make in a window before it is refused (default 30). */
  maxFailuresPerAddress?: number
  /** Failures one account (client id, admin user) may see in a window before guesses at it are held back or refused (default 10). */
  maxFailuresPerClient?: number
  /** Length of the counting window (default 60 s). */
  windowMs?: number
  /** Failures before answers start being slowed down (default 3). */
  freeFailures?: number
  /**
   * Once an account's failures are used up: how long an address that has not signed in to it must
   * wait between two checks of a password for it (default windowMs / maxFailuresPerClient, 6 s).
   */
  pacedIntervalMs?: number
}

interface Window {
  failures: number
  startedAt: number
}

/** The answer to a password check asked for before it runs (`reserve`). */
export type Admission =
  | { admitted: false; retryAfter: number }
  | { admitted: true; waitMs: number; attempt: ReservedAttempt }

/** A failure counted before the check it is for: the check settles it. */
export interface ReservedAttempt {
  /** The password was right, or was not checked: the failure is given back. */
  release(): void
  /** The password was wrong: the failure stays; returns how long to hold the answer back. */
  confirm(): number
}

const MAX_TRACKED = 10_000
const MAX_DELAY_MS = 2000
const TRUSTED_FOR_MS = 24 * 3600_000

/**
 * Slows and then refuses repeated failed authentications, per address and per account (a client
 * id, an admin user), and never locks the owner of the account out (RFC 6819 §4.3.5 online
 * guessing, §5.1.4.2.3: hard lock-out lets anyone lock out the legitimate client; OWASP
 * Authentication Cheat Sheet, "Account Lockout"). Two ways to use it:
 *
 * - A cheap credential (a 256-bit client secret, an API key: one HMAC against a cached record) is
 *   checked first, and only a failure meets the throttle (`retryAfter`, then `failed`): the right
 *   credential always passes, and a wrong one is counted, slowed, then answered 429.
 * - An admin password costs a scrypt, so the check is asked for first (`reserve`): the failure is
 *   counted before the check runs, so concurrent guesses count one by one, and given back when the
 *   password was right. See `reserve` for what happens once the account's failures are used up.
 */
export class AuthThrottle {
  readonly #clock: Clock
  readonly #maxPerAddress: number
  readonly #maxPerAccount: number
  readonly #windowMs: number
  readonly #freeFailures: number
  readonly #pacedIntervalMs: number
  readonly #byAddress = new Map<string, Window>()
  readonly #byAccount = new Map<string, Window>()
  // account → addresses that presented its right credential within a day, newest last
  readonly #trusted = new Map<string, Map<string, number>>()
  // account \0 address → when its latest check was let run (reserve)
  readonly #lastCheck = new Map<string, number>()

  constructor(options: AuthThrottleOptions) {
    this.#clock = options.clock
    this.#maxPerAddress = options.maxFailuresPerAddress ?? 30
    this.#maxPerAccount = options.maxFailuresPerClient ?? 10
    this.#windowMs = options.windowMs ?? 60_000
    this.#freeFailures = options.freeFailures ?? 3
    this.#pacedIntervalMs = options.pacedIntervalMs ?? this.#windowMs / Math.max(1, this.#maxPerAccount)
  }

  /**
   * After a wrong cheap credential: the seconds to wait when it must be answered 429, or 0. An
   * address over its limit is refused; so is one that never authenticated an account over its
   * limit (an address it did authenticate keeps its 401s, which say more).
   */
  retryAfter(address: string, account: string | undefined): number {
    const now = this.#clock.now()
    const byAddress = this.#current(this.#byAddress, address, now)
    if (byAddress && byAddress.failures >= this.#maxPerAddress) return this.#secondsLeft(byAddress, now)
    if (account === undefined || this.#isTrusted(account, address, now)) return 0
    const byAccount = this.#current(this.#byAccount, account, now)
    if (byAccount && byAccount.failures >= this.#maxPerAccount) return this.#secondsLeft(byAccount, now)
    return 0
  }

  /** Counts a failure; returns how long to hold the answer back (grows with repeated failures). */
  failed(address: string, account: string | undefined): number {
    const now = this.#clock.now()
    const byAddress = this.#count(this.#byAddress, address, now)
    if (account !== undefined) this.#count(this.#byAccount, account, now)
    return this.#delayAfter(byAddress.failures)
  }

  /** The right credential from `address`: it is trusted for `account` for a day. */
  succeeded(address: string, account: string): void {
    const now = this.#clock.now()
    let addresses = this.#trusted.get(account)
    if (!addresses) {
      if (this.#trusted.size >= MAX_TRACKED) this.#trusted.delete(this.#trusted.keys().next().value as string)
      addresses = new Map()
      this.#trusted.set(account, addresses)
    }
    addresses.delete(address)
    addresses.set(address, now)
    if (addresses.size > 32) addresses.delete(addresses.keys().next().value as string)
  }

  /**
   * Before an expensive check (scrypt): counts it as a failure now, so that N concurrent guesses
   * count as N, and says whether it may run.
   *
   * - An address that made `maxFailuresPerAddress` failures is refused (429) until its window ends:
   *   it is the one guessing. This is the only refusal a right password can meet.
   * - An account that saw `maxFailuresPerClient` failures is not locked: a check for it from an
   *   address that has not signed in to it within a day is paced instead, one per
   *   `pacedIntervalMs` per address. The first from a new address runs at once; one more is held
   *   back (`waitMs`) until its turn; more at the same time are refused with 429. So the owner,
   *   from any address and after a restart, gets in: at once, or after one interval if they mistyped.
   *   A guesser gets one check per interval per address it owns, besides the address limit.
   */
  reserve(address: string, account: string): Admission {
    const now = this.#clock.now()
    const byAddress = this.#current(this.#byAddress, address, now)
    if (byAddress && byAddress.failures >= this.#maxPerAddress) {
      return { admitted: false, retryAfter: this.#secondsLeft(byAddress, now) }
    }
    const startAt = this.#turnOf(address, account, now)
    if (startAt === undefined) {
      const retryAfter = Math.ceil((this.#lastCheckOf(address, account) - now) / 1000)
      return { admitted: false, retryAfter: Math.max(1, retryAfter) }
    }
    this.#remember(this.#lastCheck, `${account}\0${address}`, startAt)
    return { admitted: true, waitMs: startAt - now, attempt: this.#reserveFailure(address, account, now) }
  }

  /** When a check from `address` for `account` may start: now, later (paced), or undefined (refused). */
  #turnOf(address: string, account: string, now: number): number | undefined {
    const byAccount = this.#current(this.#byAccount, account, now)
    const paced = byAccount !== undefined && byAccount.failures >= this.#maxPerAccount
    if (!paced || this.#isTrusted(account, address, now)) return now
    const startAt = Math.max(now, this.#lastCheckOf(address, account) + this.#pacedIntervalMs)
    // One check may wait for its turn; a second would wait two turns.
    return startAt - now <= this.#pacedIntervalMs ? startAt : undefined
  }

  #lastCheckOf(address: string, account: string): number {
    return this.#lastCheck.get(`${account}\0${address}`) ?? Number.NEGATIVE_INFINITY
  }

  #reserveFailure(address: string, account: string, now: number): ReservedAttempt {
    const byAddress = this.#count(this.#byAddress, address, now)
    const byAccount = this.#count(this.#byAccount, account, now)
    let settled = false
    return {
      release: () => {
        if (settled) return
        settled = true
        byAddress.failures = Math.max(0, byAddress.failures - 1)
        byAccount.failures = Math.max(0, byAccount.failures - 1)
      },
      confirm: () => {
        settled = true
        return this.#delayAfter(byAddress.failures)
      },
    }
  }

  #delayAfter(failures: number): number {
    const excess = failures - this.#freeFailures
    return excess <= 0 ? 0 : Math.min(MAX_DELAY_MS, 100 * 2 ** (excess - 1))
  }

  #isTrusted(account: string, address: string, now: number): boolean {
    const seenAt = this.#trusted.get(account)?.get(address)
    return seenAt !== undefined && now - seenAt < TRUSTED_FOR_MS
  }

  #current(map: Map<string, Window>, key: string, now: number): Window | undefined {
    const window = map.get(key)
    if (window && now - window.startedAt >= this.#windowMs) {
      map.delete(key)
      return undefined
    }
    return window
  }

  #count(map: Map<string, Window>, key: string, now: number): Window {
    let window = this.#current(map, key, now)
    if (!window) {
      window = { failures: 0, startedAt: now }
      this.#remember(map, key, window)
    }
    window.failures += 1
    return window
  }

  /** Bounded memory: forgets the oldest entry when too many are tracked. */
  #remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key)
    if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value as string)
    map.set(key, value)
  }

  #secondsLeft(window: Window, now: number): number {
    return Math.max(1, Math.ceil((window.startedAt + this.#windowMs - now) / 1000))
  }
}
