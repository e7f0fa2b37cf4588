import type { Clock } from '../clock.ts'
import type { Format } from './format.ts'

interface Entry {
  updatedAt: string
  body: string
  renderedAt: number
}

/**
 * Records already rendered in their full view, by resource, id and format. A GET of a record
 * then costs a Map lookup instead of a read, a parse, the expansion of its references and a
 * render. An entry serves for `ttlMs` (1 s by default, as the other caches of a node) and only
 * while the record's `updated_at` is the one it was rendered from, when the caller knows it;
 * writes through this node forget the record at once. Bounded: the oldest entries go first.
 */
export class RenderedRecords {
  readonly #clock: Clock
  readonly #ttlMs: number
  readonly #max: number
  readonly #entries = new Map<string, Entry>()

  constructor({ clock, ttlMs = 1000, max = 20_000 }: { clock: Clock; ttlMs?: number; max?: number }) {
    this.#clock = clock
    this.#ttlMs = ttlMs
    this.#max = max
  }

  get(resource: string, id: number, format: Format, updatedAt?: string): string | undefined {
    const key = `${resource}#${id}#${format}`
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (
      this.#clock.now() - entry.renderedAt >= this.#ttlMs ||
      (updatedAt !== undefined && updatedAt !== entry.updatedAt)
    ) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.body
  }

  set(resource: string, id: number, format: Format, updatedAt: string, body: string): void {
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as string)
    this.#entries.set(`${resource}#${id}#${format}`, { updatedAt, body, renderedAt: this.#clock.now() })
  }

  forget(resource: string, id: number): void {
    this.#entries.delete(`${resource}#${id}#json`)
    this.#entries.delete(`${resource}#${id}#xml`)
  }
}
