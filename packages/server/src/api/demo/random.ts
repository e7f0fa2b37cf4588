/**
 * A seeded pseudo-random generator (mulberry32: 32-bit state, fast, good enough for test data) and
 * the value formats the demo data uses. Nothing here reads the wall clock or Math.random, so the
 * same seed always yields the same data.
 */

/** A deterministic random source; every method advances the same stream. */
export class Random {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** A float in [0, 1). https://gist.github.com/tommyettinger/46a874533244883189143505d203312c */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)] as T
  }

  /** One value of `[value, weight]` pairs, in proportion to the weights. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    let total = 0
    for (const [, weight] of entries) total += weight
    let roll = this.next() * total
    for (const [value, weight] of entries) {
      roll -= weight
      if (roll < 0) return value
    }
    return (entries[entries.length - 1] as readonly [T, number])[0]
  }

  /** A count from 1 up, by weight: `weights[0]` for 1, `weights[1]` for 2, and so on. */
  count(weights: readonly number[]): number {
    return this.weighted(weights.map((weight, i) => [i + 1, weight] as const))
  }
}

/** A 32-bit hash of an integer (for values that must follow from an id, not from the stream). */
export function hashId(id: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * A step with no common factor with `n`: `(i * step) % n` for i = 0 … n-1 visits every value below
 * n once, in a mixed order (unique combinations without a shuffle).
 */
export function coprimeStep(n: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  let step = 7919
  while (gcd(step, n) !== 1) step += 2
  return step
}

/** Integer cents as a Coupa decimal string with two decimals: 123456 → `"1234.56"`. */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  const rest = abs % 100
  return `${sign}${(abs - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`
}

/** A Coupa decimal string back to integer cents: `"1234.56"` → 123456. */
export function cents(decimal: string): number {
  return Math.round(Number(decimal) * 100)
}

/** Epoch milliseconds as ISO 8601 UTC, the form the store's `updated_at` column sorts by. */
export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** Milliseconds in an hour and in a day. */
export const HOUR = 3_600_000
export const DAY = 24 * HOUR
