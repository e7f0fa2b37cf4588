import { isCustomFieldsGroup } from '../catalogue/custom-fields.ts'
import type { FieldDefinition, ReferenceField, ResourceDefinition } from '../catalogue/index.ts'
import { findResource } from '../catalogue/index.ts'
import type { Clock } from '../contract/clock.ts'
import type { IntegrationHistoryEntry } from '../contract/wire.ts'
import type { RecordQuery, RecordVersion, Store, StoredRecord } from '../store/store.ts'
import { Cache } from '../sync/cache.ts'
import type { FieldValue, ResourceRecord, ScalarValue } from './representation/types.ts'

/** A record as the engine holds it: underscored keys, references as `{ id }`, lines as arrays. */
export type ApiRecord = Record<string, unknown> & { id: number }

/** A record as the API shows it: references expanded into the fields their resource shows. */
export type ExpandedRecord = ResourceRecord & { readonly id: number; readonly updated_at: string }

/** A referenced record as read (`null`: there is none), and the length of its stored JSON. */
interface Referenced {
  record: ApiRecord | null
  chars: number
}

/** The record's integration history, stored as the admin API answers it (contract/wire.ts). */
const HISTORY = '_integration_history'

/**
 * Reads and writes core API records in the store, and expands references into the nested objects
 * Coupa shows (`"supplier":{"id":17,"name":"Insight"}`). Referenced records are read in one query
 * per resource and kept for a second, so a page of 50 invoices costs a handful of queries.
 */
export class RecordRepository {
  readonly #store: Store
  readonly #clock: Clock
  /**
   * Referenced records by `resource#id`, for a second. Bound: 50 000 records and 32 Mi characters
   * of their stored JSON (a client decides how long a record is); the oldest go first.
   */
  readonly #referenced: Cache<string, Referenced>

  constructor(options: { store: Store; clock: Clock }) {
    this.#store = options.store
    this.#clock = options.clock
    const weigh = (referenced: Referenced) => referenced.chars
    this.#referenced = new Cache({
      clock: options.clock,
      ttlMs: 1000,
      max: 50_000,
      maxWeight: 32 * 1024 * 1024,
      weigh,
    })
  }

  async query(def: ResourceDefinition, query: RecordQuery): Promise<ApiRecord[]> {
    return (await this.#store.queryRecords(def.name, query)).map(parse)
  }

  versions(def: ResourceDefinition, query: RecordQuery): Promise<RecordVersion[]> {
    return this.#store.queryRecordVersions(def.name, query)
  }

  async getMany(def: ResourceDefinition, ids: number[]): Promise<ApiRecord[]> {
    const found = new Map((await this.#store.getRecords(def.name, ids)).map((s) => [s.id, parse(s)]))
    return ids.flatMap((id) => found.get(id) ?? [])
  }

  async get(def: ResourceDefinition, id: number): Promise<ApiRecord | undefined> {
    const [stored] = await this.#store.getRecords(def.name, [id])
    return stored && parse(stored)
  }

  async insert(
    def: ResourceDefinition,
    record: Omit<ApiRecord, 'id'>,
    history: Omit<IntegrationHistoryEntry, 'at'>,
  ): Promise<ApiRecord> {
    const id = await this.#store.reserveRecordIds(def.name, 1)
    const now = new Date(this.#clock.now()).toISOString()
    const full = {
      ...record,
      id,
      created_at: now,
      updated_at: now,
      [HISTORY]: [{ ...history, at: now }],
    } as ApiRecord
    await this.#store.insertRecords(def.name, [toStored(full)])
    return full
  }

  async update(
    def: ResourceDefinition,
    record: ApiRecord,
    history: Omit<IntegrationHistoryEntry, 'at'>,
  ): Promise<ApiRecord> {
    const now = new Date(this.#clock.now()).toISOString()
    const previous = Array.isArray(record[HISTORY]) ? (record[HISTORY] as IntegrationHistoryEntry[]) : []
    const full = { ...record, updated_at: now, [HISTORY]: [...previous, { ...history, at: now }].slice(-100) }
    await this.#store.updateRecord(def.name, toStored(full))
    this.#referenced.forget(`${def.name}#${record.id}`)
    return full
  }

  history(record: ApiRecord): IntegrationHistoryEntry[] {
    return Array.isArray(record[HISTORY]) ? (record[HISTORY] as IntegrationHistoryEntry[]) : []
  }

  /** Replaces `{ id }` references (also inside lines) by the referenced records' listed fields. */
  async expand(
    def: ResourceDefinition,
    records: ApiRecord[],
    { full = false }: { full?: boolean } = {},
  ): Promise<ExpandedRecord[]> {
    const wanted = new Map<string, Set<number>>()
    collectReferences(def.fields, records, wanted)
    const loaded = new Map<string, ApiRecord | undefined>()
    await Promise.all([...wanted].map(([resource, ids]) => this.#loadReferenced(resource, [...ids], loaded)))
    // A reference may show a reference of its own (a line's `account` its `account-type`): one more round.
    const nested = new Map<string, Set<number>>()
    collectNested(def.fields, records, loaded, nested)
    await Promise.all([...nested].map(([resource, ids]) => this.#loadReferenced(resource, [...ids], loaded)))
    // Every resource declares id and updated_at (catalogue.test.ts), so every expanded record has them.
    return records.map((record) => expandRecord(def.fields, record, loaded, full) as ExpandedRecord)
  }

  /** Finds a record of `resource` by id or by natural key (`name`, `code`, `login`, `number`). */
  async findReference(resource: string, ref: Record<string, unknown>): Promise<ApiRecord | undefined> {
    if (typeof ref.id === 'number') return this.get({ name: resource } as ResourceDefinition, ref.id)
    for (const key of ['code', 'name', 'login', 'number']) {
      if (typeof ref[key] !== 'string') continue
      // Natural keys are not indexed; master data sets are small, so a scan in pages is fine.
      for (let offset = 0; ; offset += 500) {
        const page = await this.#store.queryRecords(resource, {
          conditions: [],
          orderBy: 'id',
          dir: 'asc',
          offset,
          limit: 500,
        })
        const found = page.map(parse).find((r) => r[key] === ref[key])
        if (found || page.length < 500) return found
      }
    }
    return undefined
  }

  async #loadReferenced(
    resource: string,
    ids: number[],
    into: Map<string, ApiRecord | undefined>,
  ): Promise<void> {
    const missing: number[] = []
    for (const id of ids) {
      const cached = this.#referenced.get(`${resource}#${id}`)
      if (cached === undefined) missing.push(id)
      else into.set(`${resource}#${id}`, cached.record ?? undefined)
    }
    if (missing.length === 0) return
    const found = new Map((await this.#store.getRecords(resource, missing)).map((s) => [s.id, s]))
    for (const id of missing) {
      const stored = found.get(id)
      const record = stored && parse(stored)
      this.#referenced.set(`${resource}#${id}`, { record: record ?? null, chars: stored?.data.length ?? 0 })
      into.set(`${resource}#${id}`, record)
    }
  }
}

export function parse(stored: StoredRecord): ApiRecord {
  return JSON.parse(stored.data) as ApiRecord
}

function toStored(record: ApiRecord): StoredRecord {
  return {
    id: record.id,
    status: typeof record.status === 'string' ? record.status : null,
    exported: typeof record.exported === 'boolean' ? record.exported : null,
    updatedAt: String(record.updated_at),
    data: JSON.stringify(record),
  }
}

function collectReferences(
  fields: readonly FieldDefinition[],
  records: readonly Record<string, unknown>[],
  into: Map<string, Set<number>>,
): void {
  for (const field of fields) {
    if (field.kind === 'reference') {
      for (const record of records) {
        const id = (record[field.name] as { id?: unknown } | null | undefined)?.id
        if (typeof id !== 'number') continue
        const ids = into.get(field.resource) ?? new Set<number>()
        into.set(field.resource, ids)
        ids.add(id)
      }
    } else if (field.kind === 'references') {
      for (const record of records) {
        const ids = into.get(field.resource) ?? new Set<number>()
        into.set(field.resource, ids)
        for (const id of idsOf(record[field.name])) ids.add(id)
      }
    } else if (field.kind === 'lines') {
      const lines = records.flatMap((record) =>
        Array.isArray(record[field.name]) ? (record[field.name] as Record<string, unknown>[]) : [],
      )
      collectReferences(field.fields, lines, into)
    }
  }
}

/** The references a referenced record shows of its own (`account` → `account_type`), by name. */
function nestedReferences(field: ReferenceField): ReadonlyMap<string, ReferenceField> {
  let nested = nestedByField.get(field)
  if (!nested) {
    const shown = new Set(field.fields)
    const fields = findResource(field.resource)?.fields ?? []
    nested = new Map(
      fields
        .filter((f): f is ReferenceField => f.kind === 'reference' && shown.has(f.name))
        .map((f) => [f.name, f]),
    )
    nestedByField.set(field, nested)
  }
  return nested
}
const nestedByField = new WeakMap<ReferenceField, ReadonlyMap<string, ReferenceField>>()

function referencedId(value: unknown): number | undefined {
  const id = (value as { id?: unknown } | null | undefined)?.id
  return typeof id === 'number' ? id : undefined
}

function collectNested(
  fields: readonly FieldDefinition[],
  records: readonly Record<string, unknown>[],
  loaded: Map<string, ApiRecord | undefined>,
  into: Map<string, Set<number>>,
): void {
  for (const field of fields) {
    if (field.kind === 'lines') {
      const lines = records.flatMap((record) =>
        Array.isArray(record[field.name]) ? (record[field.name] as Record<string, unknown>[]) : [],
      )
      collectNested(field.fields, lines, loaded, into)
    } else if (field.kind === 'reference') {
      const nested = [...nestedReferences(field).values()]
      if (nested.length === 0) continue
      const targets = records.flatMap((record) => {
        const id = referencedId(record[field.name])
        const target = id === undefined ? undefined : loaded.get(`${field.resource}#${id}`)
        return target ? [target] : []
      })
      collectReferences(nested, targets, into)
    }
  }
}

/** The fields a reference shows of its record, its own references expanded one level. */
function expandReference(
  field: ReferenceField,
  value: unknown,
  loaded: Map<string, ApiRecord | undefined>,
  depth: number,
): FieldValue {
  const id = referencedId(value)
  const target = id === undefined ? undefined : loaded.get(`${field.resource}#${id}`)
  if (!target) return null
  const nested = depth === 0 ? nestedReferences(field) : NONE
  return Object.fromEntries(
    field.fields.map((name) => {
      const inner = nested.get(name)
      const shown = inner ? expandReference(inner, target[name], loaded, depth + 1) : target[name]
      return [name, (shown ?? null) as FieldValue]
    }),
  )
}

const NONE: ReadonlyMap<string, ReferenceField> = new Map()

function expandRecord(
  fields: readonly FieldDefinition[],
  record: Record<string, unknown>,
  loaded: Map<string, ApiRecord | undefined>,
  full: boolean,
): ResourceRecord {
  const out: Record<string, FieldValue> = {}
  for (const field of fields) {
    const value = record[field.name]
    // Scalars are stored as the engine wrote them, typed by their field.
    if (field.kind === 'scalar') out[field.name] = (value ?? null) as ScalarValue
    else if (field.kind === 'lines') {
      out[field.name] = Array.isArray(value)
        ? value.map((line: Record<string, unknown>) => expandRecord(field.fields, line, loaded, full))
        : []
    } else if (field.kind === 'references') {
      // Entries whose record is gone are left out, as a join would.
      out[field.name] = idsOf(value).flatMap((id) => {
        const target = loaded.get(`${field.resource}#${id}`)
        return target ? [shownFields(field.fields, target)] : []
      })
    } else if (isCustomFieldsGroup(field)) {
      // Kept inside the record: each active custom field, null when not given.
      const given = (value ?? {}) as Record<string, unknown>
      out[field.name] = Object.fromEntries(
        field.fields.map((name) => [name, (given[name] ?? null) as FieldValue]),
      )
    } else out[field.name] = expandReference(field, value, loaded, 0)
  }
  return out
}

/** The fields a reference shows of the record it points to. */
function shownFields(names: readonly string[], target: ApiRecord): ResourceRecord {
  return Object.fromEntries(names.map((name) => [name, (target[name] ?? null) as FieldValue]))
}

/** The ids of a list of references stored as `[{ id }]`; anything else holds none. */
function idsOf(value: unknown): number[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((entry: { id?: unknown } | null) => (typeof entry?.id === 'number' ? [entry.id] : []))
}
