import type { ResourceDefinition } from '../catalogue/index.ts'
import type { Format } from './format.ts'
import type { QuerySpec } from './query/index.ts'
import type { RenderedRecords } from './rendered-records.ts'
import {
  CONTENT_TYPES,
  type DatetimeWriter,
  datetimeWriter,
  type Rendered,
  type ResolveResource,
  renderList,
  renderRecord,
  type View,
} from './representation/index.ts'
import type { ApiService, ExpandedRecord } from './service.ts'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
const XML_DECLARATION_BYTES = Buffer.from(XML_DECLARATION)
const COMMA = Buffer.from(',')
const EMPTY_JSON_LIST = Buffer.from('[]')
const OPEN_JSON_LIST = Buffer.from('[')
const CLOSE_JSON_LIST = Buffer.from(']')

/** What the API answers: rendered text, or the bytes of records rendered before. */
export interface Answer {
  contentType: string
  body: string | Buffer
}

export interface ResourceReadsOptions {
  service: ApiService
  /** The cache of records rendered in their full view. */
  rendered: RenderedRecords
  resolve: ResolveResource
  /** The instance's time zone (IANA name), the offset datetimes are written with (default UTC). */
  timeZone?: string
}

/**
 * Renders what the core API answers, from the rendered-record cache where it can: a GET of a record
 * or a page in the full view (no `fields`, no `return_object`) costs a Map lookup per record; any
 * other view, and anything not cached or changed since, is read and rendered.
 */
export class ResourceReads {
  readonly #service: ApiService
  readonly #rendered: RenderedRecords
  readonly #resolve: ResolveResource
  readonly #writeDatetime: DatetimeWriter

  constructor({ service, rendered, resolve, timeZone }: ResourceReadsOptions) {
    this.#service = service
    this.#rendered = rendered
    this.#resolve = resolve
    this.#writeDatetime = datetimeWriter(timeZone)
  }

  /**
   * `GET /api/<resource>/:id`: at once (no promise) when the record is rendered already, which is
   * what lets the route answer in the turn it was asked in. Throws NotFoundError (or rejects with
   * it) for an id with no record.
   */
  show(def: ResourceDefinition, id: string, spec: QuerySpec, format: Format): Answer | Promise<Answer> {
    if (isFullView(spec)) {
      const number = Number(id)
      const cached = Number.isSafeInteger(number) ? this.#rendered.get(def.name, number, format) : undefined
      if (cached !== undefined) return recordDocument(cached, format)
    }
    return this.#read(def, id, spec, format)
  }

  async #read(def: ResourceDefinition, id: string, spec: QuerySpec, format: Format): Promise<Answer> {
    const record = await this.#service.show(def, id)
    if (!isFullView(spec)) return this.render(def, record, spec, format)
    return recordDocument(this.#renderFull(def, record, format), format)
  }

  /** `GET /api/<resource>`: the page, and whether it is empty (XML answers that with a 404). */
  async list(
    def: ResourceDefinition,
    spec: QuerySpec,
    format: Format,
  ): Promise<{ rendered: Answer; empty: boolean }> {
    const page = isFullView(spec) ? await this.#fullViewPage(def, spec, format) : undefined
    if (page !== undefined) return page
    const records = await this.#service.list(def, spec)
    return {
      rendered: renderList(def, records, viewOf(spec), format, this.#resolve, this.#writeDatetime),
      empty: records.length === 0,
    }
  }

  /** A record just written, as the answer to the write; its rendered copies are dropped. */
  written(def: ResourceDefinition, record: ExpandedRecord, spec: QuerySpec, format: Format): Rendered {
    this.#rendered.forget(def.name, record.id)
    return this.render(def, record, spec, format)
  }

  render(def: ResourceDefinition, record: ExpandedRecord, spec: QuerySpec, format: Format): Rendered {
    return renderRecord(def, record, viewOf(spec), format, this.#resolve, this.#writeDatetime)
  }

  /**
   * A page in the full view from rendered records: the index answers which ids (and their update
   * times), the cache the page joined before or the bodies to join; only records not cached (or
   * changed) are read and rendered. Undefined when the query needs the records themselves to filter.
   */
  async #fullViewPage(
    def: ResourceDefinition,
    spec: QuerySpec,
    format: Format,
  ): Promise<{ rendered: Answer; empty: boolean } | undefined> {
    const versions = await this.#service.versions(def, spec)
    if (versions === undefined) return undefined
    if (versions.length === 0) return { rendered: emptyListDocument(def, format), empty: true }
    const key = this.#rendered.pageKey(def.name, format, versions)
    const joined = this.#rendered.page(key)
    if (joined !== undefined)
      return { rendered: { contentType: CONTENT_TYPES[format], body: joined }, empty: false }
    const bodies = versions.map((v) => this.#rendered.get(def.name, v.id, format, v.updatedAt))
    const missing = versions.filter((_, i) => bodies[i] === undefined).map((v) => v.id)
    const fresh = new Map<number, Buffer>()
    if (missing.length > 0) {
      for (const record of await this.#service.showMany(def, missing)) {
        fresh.set(record.id, this.#renderFull(def, record, format))
      }
    }
    const found = versions.flatMap((v, i) => bodies[i] ?? fresh.get(v.id) ?? [])
    const body = listDocument(def, found, format)
    // A record gone between the index and the read makes a page that is not the index's.
    if (found.length === versions.length) this.#rendered.setPage(key, body)
    return { rendered: { contentType: CONTENT_TYPES[format], body }, empty: found.length === 0 }
  }

  /**
   * One record in its full view as the document a GET answers (XML with its declaration), cached as
   * UTF-8 bytes: a GET sends them as they are, and a page is joined from them by copying (XML
   * without the declaration: a view of the same bytes), with no character encoded twice.
   */
  #renderFull(def: ResourceDefinition, record: ExpandedRecord, format: Format): Buffer {
    const full = { returnObject: 'full' } as const
    const { body } = renderRecord(def, record, full, format, this.#resolve, this.#writeDatetime)
    const text = String(body)
    const document = Buffer.from(
      format === 'xml' && !text.startsWith(XML_DECLARATION) ? `${XML_DECLARATION}${text}` : text,
    )
    this.#rendered.set(def.name, record.id, format, record.updated_at, document)
    return document
  }
}

function isFullView(spec: QuerySpec): boolean {
  return spec.returnObject === 'full' && spec.fields === undefined
}

function viewOf(spec: QuerySpec): View {
  return { returnObject: spec.returnObject, ...(spec.fields && { fields: spec.fields }) }
}

function recordDocument(document: Buffer, format: Format): Answer {
  return { contentType: CONTENT_TYPES[format], body: document }
}

/** The same document renderList makes, from rendered records: their bytes joined in one copy. */
function listDocument(def: ResourceDefinition, bodies: readonly Buffer[], format: Format): Buffer {
  if (bodies.length === 0) return Buffer.from(emptyListDocument(def, format).body)
  if (format === 'json') {
    const parts: Buffer[] = [OPEN_JSON_LIST]
    bodies.forEach((body, i) => {
      if (i > 0) parts.push(COMMA)
      parts.push(body)
    })
    parts.push(CLOSE_JSON_LIST)
    return Buffer.concat(parts)
  }
  const root = def.xmlCollection
  const open = Buffer.from(`${XML_DECLARATION}<${root} type="array">`)
  const elements = bodies.map((document) => document.subarray(XML_DECLARATION_BYTES.length))
  return Buffer.concat([open, ...elements, Buffer.from(`</${root}>`)])
}

function emptyListDocument(def: ResourceDefinition, format: Format): Answer {
  if (format === 'json') return { contentType: CONTENT_TYPES.json, body: EMPTY_JSON_LIST }
  return { contentType: CONTENT_TYPES.xml, body: `${XML_DECLARATION}<${def.xmlCollection} type="array"/>` }
}
