import type { Clock } from '../contract/clock.ts'
import type { RecordVersion } from '../store/store.ts'
import { Cache } from '../sync/cache.ts'
import type { Format } from './format.ts'

interface Rendering {
  updatedAt: string
  /** UTF-8, as sent: a page is joined from these without encoding a character again. */
  body: Buffer
}

/**
 * Records already rendered in their full view, by resource, id and format. A GET of a record
 * then costs a Map lookup instead of a read, a parse, the expansion of its references and a
 * render. An entry serves for `ttlMs` (1 s by default, as the other caches of a node) and only
 * while the record's `updated_at` is the one it was rendered from, when the caller knows it;
 * writes through this node forget the record at once. Bounded: the oldest entries go first.
 * A record may be as long as a client makes it (bodies of up to 1 MiB), so the bound is both a
 * number of records and a number of bytes: typical records (1–5 KB) fill neither.
 */
export class RenderedRecords {
  /** Bound: `max` records (20 000) and `maxBytes` bytes of bodies (64 MiB); the oldest go first. */
  readonly #cache: Cache<string, Rendering>
  /**
   * Pages joined from rendered records, by resource, format, generation and the page's ids and
   * update times: an integration polling the same page gets the same bytes without joining them
   * again (a page of 50 demo invoices is 166 KB). A page is only found again when the index answers
   * the very same records at the very same versions; it serves for `ttlMs`, as its records do.
   * Bound: `maxPages` pages (256) and `maxPageBytes` bytes (32 MiB).
   */
  readonly #pages: Cache<string, Buffer>
  /** Bumped when a record of the resource is forgotten: pages joined before are not found again. */
  readonly #generations = new Map<string, number>()

  constructor({
    clock,
    ttlMs = 1000,
    max = 20_000,
    maxBytes = 64 * 1024 * 1024,
    maxPages = 256,
    maxPageBytes = 32 * 1024 * 1024,
  }: {
    clock: Clock
    ttlMs?: number
    max?: number
    maxBytes?: number
    maxPages?: number
    maxPageBytes?: number
  }) {
    const weigh = (rendering: Rendering) => rendering.body.length
    this.#cache = new Cache({ clock, ttlMs, max, maxWeight: maxBytes, weigh })
    const weighPage = (page: Buffer) => page.length
    this.#pages = new Cache({ clock, ttlMs, max: maxPages, maxWeight: maxPageBytes, weigh: weighPage })
  }

  /** The key of the page of `versions` (in the page's order) of `resource` in `format`. */
  pageKey(resource: string, format: Format, versions: readonly RecordVersion[]): string {
    let key = `${resource}#${format}#${this.#generations.get(resource) ?? 0}`
    for (const { id, updatedAt } of versions) key += ` ${id} ${updatedAt}`
    return key
  }

  page(key: string): Buffer | undefined {
    return this.#pages.get(key)
  }

  setPage(key: string, body: Buffer): void {
    this.#pages.set(key, body)
  }

  get(resource: string, id: number, format: Format, updatedAt?: string): Buffer | undefined {
    const key = `${resource}#${id}#${format}`
    const rendering = this.#cache.get(key)
    if (rendering === undefined) return undefined
    if (updatedAt !== undefined && updatedAt !== rendering.updatedAt) {
      this.#cache.forget(key)
      return undefined
    }
    return rendering.body
  }

  set(resource: string, id: number, format: Format, updatedAt: string, body: Buffer): void {
    this.#cache.set(`${resource}#${id}#${format}`, { updatedAt, body })
  }

  /** Drops every record of `resource`: how it renders changed (its custom fields). */
  forgetResource(resource: string): void {
    this.#cache.forgetWhere((_rendering, key) => key.startsWith(`${resource}#`))
    this.#nextGeneration(resource)
  }

  forget(resource: string, id: number): void {
    this.#cache.forget(`${resource}#${id}#json`)
    this.#cache.forget(`${resource}#${id}#xml`)
    this.#nextGeneration(resource)
  }

  #nextGeneration(resource: string): void {
    this.#generations.set(resource, (this.#generations.get(resource) ?? 0) + 1)
  }
}
