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

  /** `GET /api/<resource>/:id`. Throws NotFoundError for an id with no record. */
  async show(def: ResourceDefinition, id: string, spec: QuerySpec, format: Format): Promise<Rendered> {
    if (!isFullView(spec)) return this.render(def, await this.#service.show(def, id), spec, format)
    const number = Number(id)
    const cached = Number.isSafeInteger(number) ? this.#rendered.get(def.name, number, format) : undefined
    if (cached !== undefined) return recordDocument(cached, format)
    return recordDocument(this.#renderFull(def, await this.#service.show(def, id), format), format)
  }

  /** `GET /api/<resource>`: the page, and whether it is empty (XML answers that with a 404). */
  async list(
    def: ResourceDefinition,
    spec: QuerySpec,
    format: Format,
  ): Promise<{ rendered: Rendered; empty: boolean }> {
    const bodies = isFullView(spec) ? await this.#fullViewPage(def, spec, format) : undefined
    if (bodies !== undefined)
      return { rendered: listDocument(def, bodies, format), empty: bodies.length === 0 }
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
   * times), the cache the bodies; only records not cached (or changed) are read and rendered.
   * Undefined when the query needs the records themselves to filter.
   */
  async #fullViewPage(
    def: ResourceDefinition,
    spec: QuerySpec,
    format: Format,
  ): Promise<string[] | undefined> {
    const versions = await this.#service.versions(def, spec)
    if (versions === undefined) return undefined
    const bodies = versions.map((v) => this.#rendered.get(def.name, v.id, format, v.updatedAt))
    const missing = versions.filter((_, i) => bodies[i] === undefined).map((v) => v.id)
    if (missing.length === 0) return bodies as string[]
    const fresh = new Map<number, string>()
    for (const record of await this.#service.showMany(def, missing)) {
      fresh.set(record.id, this.#renderFull(def, record, format))
    }
    return versions.flatMap((v, i) => bodies[i] ?? fresh.get(v.id) ?? [])
  }

  /** One record in its full view, without the XML declaration (the unit the cache holds), cached. */
  #renderFull(def: ResourceDefinition, record: ExpandedRecord, format: Format): string {
    const full = { returnObject: 'full' } as const
    const { body } = renderRecord(def, record, full, format, this.#resolve, this.#writeDatetime)
    const unit =
      format === 'xml' && body.startsWith(XML_DECLARATION) ? body.slice(XML_DECLARATION.length) : body
    this.#rendered.set(def.name, record.id, format, record.updated_at, unit)
    return unit
  }
}

function isFullView(spec: QuerySpec): boolean {
  return spec.returnObject === 'full' && spec.fields === undefined
}

function viewOf(spec: QuerySpec): View {
  return { returnObject: spec.returnObject, ...(spec.fields && { fields: spec.fields }) }
}

function recordDocument(body: string, format: Format): Rendered {
  return { contentType: CONTENT_TYPES[format], body: format === 'xml' ? `${XML_DECLARATION}${body}` : body }
}

/** The same document renderList makes, from rendered records. */
function listDocument(def: ResourceDefinition, bodies: readonly string[], format: Format): Rendered {
  if (format === 'json') return { contentType: CONTENT_TYPES.json, body: `[${bodies.join(',')}]` }
  const inner =
    bodies.length === 0
      ? `<${def.xmlCollection} type="array"/>`
      : `<${def.xmlCollection} type="array">${bodies.join('')}</${def.xmlCollection}>`
  return { contentType: CONTENT_TYPES.xml, body: `${XML_DECLARATION}${inner}` }
}
