import type { Clock } from '../contract/clock.ts'

export interface CacheOptions<V = unknown> {
  clock: Clock
  /** How long an entry is trusted. Caches of what other nodes may change keep it short (400 ms). */
  ttlMs: number
  /**
   * How long while the store pushes changes (`pushChanges(true)`): a change then drops its entry at
   * once (`forget`), and the time-to-live is only the fallback. Default: `ttlMs`.
   */
  pushedTtlMs?: number
  /** The most entries held; the oldest goes first. */
  max: number
  /**
   * The most total weight held, each value weighing what `weigh` says (such as its characters):
   * the oldest entries go until a new one fits, and a value heavier than this alone is not kept.
   * For values whose size a client decides. Default: no limit but `max`.
   */
  maxWeight?: number
  weigh?: (value: V) => number
}

interface Entry<V> {
  value: V
  storedAt: number
  weight: number
}

/**
 * The one cache of the hot paths (clients, API keys, verified tokens, rendered and referenced
 * records): entries that expire, concurrent misses that share one read, and forget-on-change.
 * A read that began before a `forget` keeps nothing, so a change announced while a stale copy was
 * being read is never undone by it. Bounded: the oldest entry goes when it is full, by number of
 * entries (`max`) and, where values differ in size, by their total weight (`maxWeight`).
 *
 * A value of `null` is a cached "there is none" (an unknown API key costs no query the next time);
 * `undefined` from `get` means "not cached".
 */
export class Cache<K, V> {
  readonly #clock: Clock
  readonly #ttlMs: number
  readonly #pushedTtlMs: number
  readonly #max: number
  readonly #maxWeight: number
  readonly #weigh: (value: V) => number
  /** Bound: `max` entries and `maxWeight` in all; the oldest stored goes first. */
  readonly #entries = new Map<K, Entry<V>>()
  #weight = 0
  /** Reads in flight, by key: requests that miss together share one. Bound: the requests waiting. */
  readonly #reading = new Map<K, Promise<V>>()
  /** Counts forgets: a read that began before one must not put back what it read. */
  #generation = 0
  #pushed = false

  constructor({
    clock,
    ttlMs,
    pushedTtlMs = ttlMs,
    max,
    maxWeight = Number.POSITIVE_INFINITY,
    weigh = () => 0,
  }: CacheOptions<V>) {
    this.#clock = clock
    this.#ttlMs = ttlMs
    this.#pushedTtlMs = Math.max(ttlMs, pushedTtlMs)
    this.#max = max
    this.#maxWeight = maxWeight
    this.#weigh = weigh
  }

  /** The value cached for `key`, or undefined when there is none or it has expired. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    const ttl = this.#ttl()
    if (ttl === Number.POSITIVE_INFINITY || this.#clock.now() - entry.storedAt < ttl) return entry.value
    this.#drop(key)
    return undefined
  }

  /** The cached value, or the one `load` reads (shared with every other miss of `key` meanwhile). */
  read(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const cached = this.get(key)
    if (cached !== undefined) return Promise.resolve(cached)
    const inFlight = this.#reading.get(key)
    if (inFlight) return inFlight
    const generation = this.#generation
    const read = load(key).then((value) => {
      // undefined is "not cached": there is nothing to keep.
      if (generation === this.#generation && value !== undefined) this.set(key, value)
      return value
    })
    this.#reading.set(key, read)
    const done = () => {
      if (this.#reading.get(key) === read) this.#reading.delete(key)
    }
    read.then(done, done)
    return read
  }

  /** Caches `value` for the time-to-live, as the newest entry. */
  set(key: K, value: V): void {
    this.#drop(key)
    const weight = this.#weigh(value)
    if (weight > this.#maxWeight) return
    while (
      this.#entries.size > 0 &&
      (this.#entries.size >= this.#max || this.#weight + weight > this.#maxWeight)
    ) {
      this.#drop(this.#entries.keys().next().value as K)
    }
    this.#entries.set(key, { value, storedAt: this.#clock.now(), weight })
    this.#weight += weight
  }

  /** Drops `key`; a read of it in flight is neither joined by later requests nor kept. */
  forget(key: K): void {
    this.#generation += 1
    this.#drop(key)
    this.#reading.delete(key)
  }

  /** Drops every entry `matches` picks, and stops every read in flight from being joined or kept. */
  forgetWhere(matches: (value: V, key: K) => boolean): void {
    this.#generation += 1
    for (const [key, entry] of this.#entries) if (matches(entry.value, key)) this.#drop(key)
    this.#reading.clear()
  }

  /** Drops everything (the change feed reconnected and may have missed changes). */
  forgetAll(): void {
    this.#generation += 1
    this.#entries.clear()
    this.#weight = 0
    this.#reading.clear()
  }

  /** Whether the store pushes changes: entries are then trusted for `pushedTtlMs`. */
  pushChanges(pushed: boolean): void {
    this.#pushed = pushed
  }

  get size(): number {
    return this.#entries.size
  }

  /** The total weight of the entries held (0 without `weigh`). */
  get weight(): number {
    return this.#weight
  }

  #drop(key: K): void {
    const entry = this.#entries.get(key)
    if (entry === undefined) return
    this.#entries.delete(key)
    this.#weight -= entry.weight
  }

  #ttl(): number {
    return this.#pushed ? this.#pushedTtlMs : this.#ttlMs
  }
}
