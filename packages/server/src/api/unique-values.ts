/**
 * Unique fields (catalogue `unique`): Coupa answers a taken login or email with
 * `{"errors":{"user":["Login has already been taken","Email has already been taken"]}}`
 * (coupa-api-facts §4.5, §6).
 */
import type { ResourceDefinition, ScalarField } from '../catalogue/index.ts'
import { labelOf } from './body-rules.ts'
import { RecordError } from './errors.ts'
import type { RecordRepository } from './records.ts'

/** Checks unique values against the other records, one write of a resource at a time on this node. */
export class UniqueValues {
  readonly #records: RecordRepository
  /** The last write of each resource that has unique fields: writes to it run one after another. */
  readonly #writing = new Map<string, Promise<unknown>>()

  constructor(records: RecordRepository) {
    this.#records = records
  }

  /**
   * Runs the writes of a resource with unique fields one after another on this node, so that two
   * creates of one login cannot both pass the check. Nodes do not wait for each other: two nodes
   * may still write the same value at the same moment (the store has no unique index on fields).
   */
  oneWriteAtATime<T>(def: ResourceDefinition, write: () => Promise<T>): Promise<T> {
    if (!def.fields.some((f) => f.kind === 'scalar' && f.unique)) return write()
    const previous = this.#writing.get(def.name) ?? Promise.resolve()
    const result = previous.then(write, write)
    const done = result.catch(() => undefined)
    this.#writing.set(def.name, done)
    void done.then(() => {
      if (this.#writing.get(def.name) === done) this.#writing.delete(def.name)
    })
    return result
  }

  /**
   * `<Label> has already been taken` for each unique field the body gives whose value another
   * record has: text compares case-insensitively, as logins and emails do (coupa-api-facts §4.5).
   */
  async check(def: ResourceDefinition, record: Record<string, unknown>, given: Record<string, unknown>) {
    const fields = def.fields.filter(
      (f): f is ScalarField => f.kind === 'scalar' && f.unique === true && given[f.name] != null,
    )
    if (fields.length === 0) return
    const taken = new Set<string>()
    // Fields are not indexed; the records of a resource with unique fields (master data) are read in pages.
    for (let offset = 0; ; offset += UNIQUE_PAGE) {
      const page = await this.#records.query(def, {
        conditions: [],
        orderBy: 'id',
        dir: 'asc',
        offset,
        limit: UNIQUE_PAGE,
      })
      for (const other of page) {
        if (other.id === record.id) continue
        for (const field of fields) if (sameKey(other[field.name], record[field.name])) taken.add(field.name)
      }
      if (page.length < UNIQUE_PAGE) break
    }
    const messages = fields
      .filter((f) => taken.has(f.name))
      .map((f) => `${labelOf(f)} has already been taken`)
    if (messages.length > 0) throw new RecordError(def.singular, messages)
  }
}

/** Records a uniqueness check reads at a time. */
const UNIQUE_PAGE = 500

/** Whether two values of a unique field collide: text case-insensitively. */
function sameKey(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return false
  return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b
}
