import { setImmediate } from 'node:timers/promises'
import type { Principal } from '../auth/principal.ts'
import { CUSTOM_FIELDS, isCustomFieldsGroup } from '../catalogue/custom-fields.ts'
import type { CustomAction, FieldDefinition, ResourceDefinition } from '../catalogue/index.ts'
import type { Clock } from '../contract/clock.ts'
import { NotFoundError } from '../contract/errors.ts'
import type { IntegrationHistoryEntry } from '../contract/wire.ts'
import type { RecordCondition, RecordQuery, RecordVersion } from '../store/store.ts'
import { blankRequired, bodyChanges, computeJoins, labelOf, withDefaults } from './body-rules.ts'
import { RecordError } from './errors.ts'
import { QueryError } from './query/index.ts'
import type { Filter, QuerySpec } from './query/types.ts'
import type { ApiRecord, ExpandedRecord, RecordRepository } from './records.ts'
import { UniqueValues } from './unique-values.ts'

export type { ExpandedRecord } from './records.ts'

type Matcher = (record: Record<string, unknown>, filters: readonly Filter[]) => boolean

/** The required custom fields a new record lacks, as messages (api/custom-fields.ts implements it). */
export interface RequiredCustomFields {
  missingOnCreate(def: ResourceDefinition, input: Record<string, unknown>): string[]
}

/** Records a search reads one by one in a turn, before it lets other requests run. */
const SCAN_PAGE = 100
/** The most records one search reads one by one; beyond, it is refused (the cost of a request is bounded). */
export const DEFAULT_SCAN_LIMIT = 100_000

/**
 * The generic engine behind every resource: index with the query language, show, create, update,
 * custom actions with their state machine. Knows nothing of HTTP or formats.
 */
export class ApiService {
  readonly #records: RecordRepository
  readonly #matches: Matcher
  readonly #clock: Clock
  readonly #scanLimit: number
  readonly #unique: UniqueValues
  readonly #customFields: RequiredCustomFields | undefined

  constructor(options: {
    records: RecordRepository
    matches: Matcher
    clock: Clock
    scanLimit?: number
    customFields?: RequiredCustomFields
  }) {
    this.#customFields = options.customFields
    this.#records = options.records
    this.#matches = options.matches
    this.#clock = options.clock
    this.#scanLimit = options.scanLimit ?? DEFAULT_SCAN_LIMIT
    this.#unique = new UniqueValues(options.records)
  }

  /** True when `spec` filters on something no index answers: the records are read one by one. */
  scans(spec: QuerySpec): boolean {
    return splitFilters(spec.filters).rest.length > 0
  }

  /** The page of records `spec` selects, expanded. */
  async list(def: ResourceDefinition, spec: QuerySpec): Promise<ExpandedRecord[]> {
    const { conditions, rest } = splitFilters(spec.filters)
    const orderBy = orderColumn(spec.orderBy.field)
    const page = (offset: number, limit: number): RecordQuery => ({
      conditions,
      orderBy,
      dir: spec.orderBy.dir,
      offset,
      limit,
    })
    if (rest.length === 0) {
      return this.#records.expand(def, await this.#query(def, page(spec.offset, spec.limit)))
    }
    // Filters on other attributes (or through references) are checked on the expanded records,
    // reading the indexed selection in pages until the page asked for is full. Between pages the
    // search lets the requests waiting behind it run, and it reads at most #scanLimit records.
    const found: ExpandedRecord[] = []
    let skip = spec.offset
    for (let offset = 0; found.length < spec.limit; offset += SCAN_PAGE) {
      if (offset >= this.#scanLimit) throw tooWideSearch(def, this.#scanLimit)
      if (offset > 0) await setImmediate()
      const batch = await this.#query(def, page(offset, SCAN_PAGE))
      for (const record of await this.#records.expand(def, batch, { full: true })) {
        if (!this.#matches(record, rest)) continue
        if (skip > 0) skip--
        else if (found.length < spec.limit) found.push(record)
      }
      if (batch.length < SCAN_PAGE) break
    }
    return found
  }

  /**
   * Ids and update times of the page, when the indexed columns answer the whole query; undefined
   * when some filter needs the records themselves.
   */
  async versions(def: ResourceDefinition, spec: QuerySpec): Promise<RecordVersion[] | undefined> {
    const { conditions, rest } = splitFilters(spec.filters)
    if (rest.length > 0) return undefined
    const query = {
      conditions,
      orderBy: orderColumn(spec.orderBy.field),
      dir: spec.orderBy.dir,
      offset: spec.offset,
      limit: spec.limit,
    }
    return this.#records.versions(def, query)
  }

  /** Records by id, expanded, in the order asked; ids that do not exist are left out. */
  async showMany(def: ResourceDefinition, ids: number[]): Promise<ExpandedRecord[]> {
    return this.#records.expand(def, await this.#records.getMany(def, ids))
  }

  async show(def: ResourceDefinition, id: string): Promise<ExpandedRecord> {
    return this.#expandOne(def, await this.#find(def, id))
  }

  /**
   * `POST /api/<resource>`: the body's writable fields, the resource's defaults and computed fields,
   * its initial status. Refused (RecordError, 400) with every problem at once: a read-only field
   * with a value, a required field blank, a reference to nothing, a unique value taken.
   */
  create(def: ResourceDefinition, input: Record<string, unknown>, by: Principal): Promise<ExpandedRecord> {
    return this.#unique.oneWriteAtATime(def, async () => {
      const { changes, problems } = bodyChanges(def, input, undefined)
      withDefaults(def, changes)
      problems.push(
        ...blankRequired(def, changes),
        ...(this.#customFields?.missingOnCreate(def, input) ?? []),
      )
      if (problems.length > 0) throw invalid(def, problems)
      const record = await this.#resolveReferences(def, def.fields, changes)
      // A writable status (a supplier's, facts §6) may be given; a document starts in its initial one.
      if (def.initialStatus && (record.status == null || !statusWritable(def)))
        record.status = def.initialStatus
      if (def.fields.some((f) => f.name === 'exported')) record.exported = false
      Object.assign(record, await this.#authors(def, by, 'create'))
      computeJoins(def, record)
      computeTotals(def, record)
      await this.#unique.check(def, record, changes)
      const created = await this.#records.insert(def, record, historyOf(by, 'create'))
      return this.#expandOne(def, created)
    })
  }

  /** `PUT /api/<resource>/:id`: as create, for the fields the body gives; the others stay. */
  update(def: ResourceDefinition, id: string, input: Record<string, unknown>, by: Principal) {
    return this.#unique.oneWriteAtATime(def, () =>
      this.#change(def, id, historyOf(by, 'update'), async (current) => {
        const { changes, problems } = bodyChanges(def, input, current)
        problems.push(...blankRequired(def, { ...current, ...changes }, changes))
        if (problems.length > 0) throw invalid(def, problems)
        const resolved = await this.#resolveReferences(def, def.fields, changes, current)
        const record: ApiRecord = { ...current, ...resolved, id: current.id }
        // A PUT changes the custom fields it names and keeps the others.
        if (resolved[CUSTOM_FIELDS])
          record[CUSTOM_FIELDS] = { ...(current[CUSTOM_FIELDS] ?? {}), ...resolved[CUSTOM_FIELDS] }
        Object.assign(record, await this.#authors(def, by, 'update'))
        computeJoins(def, record)
        computeTotals(def, record)
        await this.#unique.check(def, record, changes)
        return record
      }),
    )
  }

  /** `PUT …?exported=true`: marks the record exported; "any other changes included may be ignored". */
  markExported(def: ResourceDefinition, id: string, by: Principal): Promise<ExpandedRecord> {
    const now = new Date(this.#clock.now()).toISOString()
    return this.#change(def, id, historyOf(by, 'export'), (current) => ({
      ...current,
      exported: true,
      last_exported_at: now,
    }))
  }

  /**
   * `PUT /:id/<action>`: moves the record to the action's status, from one it allows. Its body may
   * set the action's `writes`; any other field only as it is.
   */
  act(
    def: ResourceDefinition,
    id: string,
    action: CustomAction,
    input: Record<string, unknown>,
    by: Principal,
  ) {
    return this.#unique.oneWriteAtATime(def, () =>
      this.#change(def, id, historyOf(by, action.name), (current) => {
        const status = String(current.status)
        if (!action.from.includes(status)) {
          throw invalid(def, [
            `${labelOf(def.singular)} cannot be ${pastTense(action.name)} while ${status}; allowed from: ${action.from.join(', ')}`,
          ])
        }
        const { changes, problems } = bodyChanges(def, input, current, action)
        if (problems.length > 0) throw invalid(def, problems)
        return { ...current, ...changes, status: action.to }
      }),
    )
  }

  /**
   * `created_by` / `updated_by` of a resource that shows them: the user whose login is the caller's
   * (an OAuth client's Login, an API key's contact login), as Coupa shows the integration user
   * behind a client (facts §6 PO sample); null when the instance has no such user.
   */
  async #authors(
    def: ResourceDefinition,
    by: Principal,
    action: 'create' | 'update',
  ): Promise<Record<string, unknown>> {
    const names = action === 'create' ? ['created_by', 'updated_by'] : ['updated_by']
    const shown = names.filter((name) => def.fields.some((f) => f.name === name && f.kind === 'reference'))
    if (shown.length === 0) return {}
    const user = await this.#records.findReference('users', { login: by.label })
    return Object.fromEntries(shown.map((name) => [name, user ? { id: user.id } : null]))
  }

  /** Reads the record, changes it, writes it with its history entry, and answers it expanded. */
  async #change(
    def: ResourceDefinition,
    id: string,
    history: Omit<IntegrationHistoryEntry, 'at'>,
    change: (current: ApiRecord) => ApiRecord | Promise<ApiRecord>,
  ): Promise<ExpandedRecord> {
    const record = await change(await this.#find(def, id))
    return this.#expandOne(def, await this.#records.update(def, record, history))
  }

  async history(def: ResourceDefinition, id: string): Promise<IntegrationHistoryEntry[]> {
    return this.#records.history(await this.#find(def, id))
  }

  async #expandOne(def: ResourceDefinition, record: ApiRecord): Promise<ExpandedRecord> {
    const [expanded] = await this.#records.expand(def, [record])
    if (!expanded) throw new Error(`expanding ${def.name} ${record.id} gave nothing`)
    return expanded
  }

  async #find(def: ResourceDefinition, id: string): Promise<ApiRecord> {
    const number = /^[1-9][0-9]{0,14}$/.test(id) ? Number(id) : undefined
    const record = number === undefined ? undefined : await this.#records.get(def, number)
    if (!record)
      throw new NotFoundError(`No ${labelOf(def.singular)} with id ${JSON.stringify(id.slice(0, 40))}`)
    return record
  }

  async #query(def: ResourceDefinition, query: RecordQuery): Promise<ApiRecord[]> {
    return this.#records.query(def, query)
  }

  /**
   * References arrive as `{ id }` or a natural key; they are stored as `{ id }`. Lines keep the id
   * that names them (bodyChanges checked it); new lines are numbered after the highest.
   */
  async #resolveReferences(
    def: ResourceDefinition,
    fields: readonly FieldDefinition[],
    input: Record<string, unknown>,
    current?: ApiRecord,
  ): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = { ...input }
    for (const field of fields) {
      const value = input[field.name]
      if (value == null) continue
      if (field.kind === 'reference' && !isCustomFieldsGroup(field)) {
        const found = await this.#records.findReference(field.resource, value as Record<string, unknown>)
        if (!found) throw invalid(def, [`${labelOf(field)} ${JSON.stringify(value)} does not exist`])
        out[field.name] = { id: found.id }
      } else if (field.kind === 'lines' && Array.isArray(value)) {
        const lines = await Promise.all(
          value.map((line: Record<string, unknown>) => this.#resolveReferences(def, field.fields, line)),
        )
        let next = highestId([...lines, ...linesOf(current?.[field.name])]) + 1
        out[field.name] = lines.map((line, index) => ({
          ...line,
          id: typeof line.id === 'number' ? line.id : next++,
          line_num: line.line_num ?? index + 1,
        }))
      }
    }
    return out
  }
}

/**
 * Filters and order_by on these fields run in the store's indexes (every resource has them);
 * filters on other fields are evaluated on the records the indexed part selects.
 */
const INDEXED_FIELDS: readonly string[] = ['id', 'status', 'exported', 'updated_at']

const SQL_OPERATORS: Partial<Record<Filter['op'], RecordCondition['op']>> = {
  eq: '=',
  not_eq: '<>',
  gt: '>',
  lt: '<',
  gt_or_eq: '>=',
  lt_or_eq: '<=',
  in: 'in',
  not_in: 'not in',
}

/** Filters the store can answer from its indexed columns, and the rest. */
function tooWideSearch(def: ResourceDefinition, limit: number): QueryError {
  return new QueryError([
    `This search reads more than ${limit} ${def.name} one by one: add a filter on id, status, exported or updated-at, or narrow the others`,
  ])
}

function splitFilters(filters: readonly Filter[]): { conditions: RecordCondition[]; rest: Filter[] } {
  const conditions: RecordCondition[] = []
  const rest: Filter[] = []
  for (const filter of filters) {
    const [field] = filter.path
    const op = SQL_OPERATORS[filter.op]
    const indexed = filter.path.length === 1 && INDEXED_FIELDS.includes(String(field))
    if (!indexed || !op || filter.value === null) {
      rest.push(filter)
      continue
    }
    const value = field === 'id' ? toNumbers(filter.value) : filter.value
    conditions.push({
      column: field as RecordCondition['column'],
      op,
      value: value as RecordCondition['value'],
    })
  }
  return { conditions, rest }
}

function toNumbers(value: Filter['value']): number | number[] {
  return Array.isArray(value) ? value.map(Number) : Number(value)
}

/** order_by runs in the store's index: id (and created_at, which follows it) or updated_at. */
function orderColumn(field: string): RecordQuery['orderBy'] {
  if (field === 'id' || field === 'created_at') return 'id'
  if (field === 'updated_at') return 'updated_at'
  throw new QueryError([`order_by "${field}" is not supported; order by id, created_at or updated_at`])
}

function statusWritable(def: ResourceDefinition): boolean {
  const status = def.fields.find((f) => f.name === 'status')
  return status?.kind === 'scalar' && status.writable === true
}

/** Line totals are price × quantity; record totals are the sum of the lines (plus tax where Coupa adds it). */
function computeTotals(def: ResourceDefinition, record: Record<string, unknown>): void {
  const linesField = def.fields.find((f) => f.kind === 'lines')
  // facts §6: `is-credit-note` follows `document-type` (Invoice / Credit Note).
  if (def.fields.some((f) => f.name === 'is_credit_note'))
    record.is_credit_note = record.document_type === 'Credit Note'
  if (linesField?.kind !== 'lines' || !Array.isArray(record[linesField.name])) return
  let cents = 0
  for (const line of record[linesField.name] as Record<string, unknown>[]) {
    const price = Math.round(Number(line.price ?? 0) * 100)
    const quantity = Number(line.quantity ?? 1)
    const total = Math.round(price * quantity)
    if (linesField.fields.some((f) => f.name === 'total')) line.total = (total / 100).toFixed(2)
    cents += total
  }
  const tax = Math.round(Number(record.tax_amount ?? 0) * 100)
  for (const name of ['total', 'gross_total'])
    if (def.fields.some((f) => f.name === name)) record[name] = (cents / 100).toFixed(2)
  if (def.fields.some((f) => f.name === 'total_with_taxes'))
    record.total_with_taxes = ((cents + tax) / 100).toFixed(2)
}

function historyOf(principal: Principal, action: string): Omit<IntegrationHistoryEntry, 'at'> {
  return { by: principal.label, via: principal.kind === 'client' ? 'oauth_client' : 'api_key', action }
}

function invalid(def: ResourceDefinition, messages: string[]): RecordError {
  return new RecordError(def.singular, messages)
}

function linesOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : []
}

function highestId(lines: readonly Record<string, unknown>[]): number {
  return lines.reduce((max, line) => (typeof line.id === 'number' && line.id > max ? line.id : max), 0)
}

function pastTense(action: string): string {
  const word = action.replace(/_/g, ' ')
  return word.endsWith('e') ? `${word}d` : `${word}ed`
}
