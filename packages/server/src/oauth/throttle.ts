import type { Clock } from '../contract/clock.ts'

export interface AuthThrottleOptions {
  clock: Clock
  /** Failures one address may make in a window before it is refused (default 30). */
  maxFailuresPerAddress?: number
  /** Failures one client id may see in a window before unknown addresses are refused (default 10). */
  maxFailuresPerClient?: number
  /** Length of the counting window (default 60 s). */
  windowMs?: number
  /** Failures before answers start being slowed down (default 3). */
  freeFailures?: number
}

interface Window {
  failures: number
  startedAt: number
}

const MAX_TRACKED = 10_000
const MAX_DELAY_MS = 2000

/**
 * Slows and then refuses repeated failed client authentications, per address and per client id,
 * without locking out the real client: once a client id is under attack, only addresses that have
 * not authenticated it successfully recently are refused. RFC 6819 §4.3.5 (online guessing) and
 * §5.1.4.2.3 warn that hard lock-out lets an attacker lock out the legitimate client.
 */
export class AuthThrottle {
  readonly #clock: Clock
  readonly #maxPerAddress: number
  readonly #maxPerClient: number
  readonly #windowMs: number
  readonly #freeFailures: number
  readonly #byAddress = new Map<string, Window>()
  readonly #byClient = new Map<string, Window>()
  // client id → addresses that presented its right secret within the window, newest last
  readonly #trusted = new Map<string, Map<string, number>>()

  constructor(options: AuthThrottleOptions) {
    this.#clock = options.clock
    this.#maxPerAddress = options.maxFailuresPerAddress ?? 30
    this.#maxPerClient = options.maxFailuresPerClient ?? 10
    this.#windowMs = options.windowMs ?? 60_000
    this.#freeFailures = options.freeFailures ?? 3
  }

  /** Seconds to wait when this attempt must be refused now, or 0 when it may go ahead. */
  retryAfter(address: string, clientId: string | undefined): number {
    const now = this.#clock.now()
    const byAddress = this.#current(this.#byAddress, address, now)
    if (byAddress && byAddress.failures >= this.#maxPerAddress) return this.#secondsLeft(byAddress, now)
    if (clientId === undefined || this.#isTrusted(clientId, address, now)) return 0
    const byClient = this.#current(this.#byClient, clientId, now)
    if (byClient && byClient.failures >= this.#maxPerClient) return this.#secondsLeft(byClient, now)
    return 0
  }

  /** Counts a failure; returns how long to hold the answer back (grows with repeated failures). */
  failed(address: string, clientId: string | undefined): number {
    const now = this.#clock.now()
    const failures = this.#count(this.#byAddress, address, now)
    if (clientId !== undefined) this.#count(this.#byClient, clientId, now)
    const excess = failures - this.#freeFailures
    return excess <= 0 ? 0 : Math.min(MAX_DELAY_MS, 100 * 2 ** (excess - 1))
  }

  succeeded(address: string, clientId: string): void {
    const now = this.#clock.now()
    let addresses = this.#trusted.get(clientId)
    if (!addresses) {
      if (this.#trusted.size >= MAX_TRACKED) this.#trusted.delete(this.#trusted.keys().next().value as string)
      addresses = new Map()
      this.#trusted.set(clientId, addresses)
    }
    addresses.delete(address)
    addresses.set(address, now)
    if (addresses.size > 32) addresses.delete(addresses.keys().next().value as string)
  }

  #isTrusted(clientId: string, address: string, now: number): boolean {
    const seenAt = this.#trusted.get(clientId)?.get(address)
    return seenAt !== undefined && now - seenAt < 24 * 3600_000
  }

  #current(map: Map<string, Window>, key: string, now: number): Window | undefined {
    const window = map.get(key)
    if (window && now - window.startedAt >= this.#windowMs) {
      map.delete(key)
      return undefined
    }
    return window
  }

  #count(map: Map<string, Window>, key: string, now: number): number {
    let window = this.#current(map, key, now)
    if (!window) {
      // Bounded memory: forget the oldest window when too many are tracked.
      if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value as string)
      window = { failures: 0, startedAt: now }
      map.set(key, window)
    }
    window.failures += 1
    return window.failures
  }

  #secondsLeft(window: Window, now: number): number {
    return Math.max(1, Math.ceil((window.startedAt + this.#windowMs - now) / 1000))
  }
}
