/**
 * Attachments, comments and invoice image scans under a core API record (coupa-api-facts.md
 * §4.3, §4.4), kept in the store with their files (store/nested-store.ts). The parent must exist
 * (404 otherwise); nothing here knows HTTP: the routes parse and render.
 */
import { attachments, comments, type NestedParent, type ResourceDefinition } from '../../catalogue/index.ts'
import type { Clock } from '../../contract/clock.ts'
import { NotFoundError } from '../../contract/errors.ts'
import type { NestedRecord, NestedRecordStore } from '../../store/nested-store.ts'
import type { Store } from '../../store/store.ts'
import { RecordError } from '../errors.ts'
import type { ResourceRecord } from '../representation/index.ts'
import type { ApiService } from '../service.ts'
import { type CheckedFile, checkFile, IMAGE_SCAN_TYPES, type UploadedFile } from './files.ts'

/** Coupa's attachment types, and the words a request may use for them (`attachment[type]=file`). */
const ATTACHMENT_TYPES: Readonly<Record<string, string>> = {
  file: 'AttachmentFile',
  attachmentfile: 'AttachmentFile',
  url: 'AttachmentUrl',
  attachmenturl: 'AttachmentUrl',
  text: 'AttachmentText',
  attachmenttext: 'AttachmentText',
}

/** What a request to add an attachment carries, whatever its form (multipart, JSON, XML). */
export interface AttachmentInput {
  type?: string | undefined
  intent?: string | undefined
  url?: string | undefined
  text?: string | undefined
  linked_to?: string | undefined
  file?: UploadedFile | undefined
}

/** A file to send back: name, type from the allow-list, bytes. */
export type StoredFile = CheckedFile

export interface NestedServiceOptions {
  store: Pick<Store, 'reserveRecordIds'> & NestedRecordStore
  api: ApiService
  clock: Clock
  /** The largest file accepted, in bytes. */
  maxFileBytes: number
}

type Parent = { parent: NestedParent; def: ResourceDefinition; id: string }

export class NestedService {
  readonly #options: NestedServiceOptions

  constructor(options: NestedServiceOptions) {
    this.#options = options
  }

  get maxFileBytes(): number {
    return this.#options.maxFileBytes
  }

  async listAttachments(p: Parent, page: Page): Promise<ResourceRecord[]> {
    return this.#list('attachments', p, page)
  }

  async showAttachment(p: Parent, id: string): Promise<ResourceRecord> {
    return recordOf(await this.#get('attachments', p, id))
  }

  /** The file of an attachment; 404 when it is a URL or a text. */
  async attachmentFile(p: Parent, id: string): Promise<StoredFile> {
    const stored = await this.#get('attachments', p, id)
    const record = recordOf(stored)
    if (stored.content === null) throw new NotFoundError(`attachment ${id} is ${record.type}: it has no file`)
    return fileOf(record, stored.content)
  }

  async addAttachment(p: Parent, input: AttachmentInput): Promise<ResourceRecord> {
    const type = ATTACHMENT_TYPES[(input.type ?? (input.file ? 'file' : '')).toLowerCase()]
    if (type === undefined) {
      throw invalid(attachments, [
        'Type must be one of file, url or text (AttachmentFile, AttachmentUrl, AttachmentText)',
      ])
    }
    const intent = input.intent ?? 'Internal'
    if (intent.length > 40) throw invalid(attachments, ['Intent is too long (at most 40 characters)'])
    const base = { type, intent, linked_to: input.linked_to ?? null, url: null, text: null }
    if (type === 'AttachmentFile') {
      if (!input.file)
        throw invalid(attachments, ["File can't be blank: send it as the form field attachment[file]"])
      const file = checkFile(input.file, this.maxFileBytes)
      const fields = {
        file: file.name,
        file_file_size: file.bytes.length,
        file_content_type: file.contentType,
      }
      return this.#insert('attachments', p, { ...base, ...fields }, file.bytes)
    }
    if (type === 'AttachmentUrl') {
      if (!input.url || !isWebUrl(input.url)) throw invalid(attachments, ['Url must be an http or https URL'])
      if (input.url.length > 255) throw invalid(attachments, ['Url is too long (at most 255 characters)'])
      return this.#insert('attachments', p, { ...base, url: input.url }, null)
    }
    if (!input.text) throw invalid(attachments, ["Text can't be blank"])
    return this.#insert('attachments', p, { ...base, text: input.text }, null)
  }

  listComments(p: Parent, page: Page): Promise<ResourceRecord[]> {
    return this.#list('comments', p, page)
  }

  async showComment(p: Parent, id: string): Promise<ResourceRecord> {
    return recordOf(await this.#get('comments', p, id))
  }

  async addComment(p: Parent, text: unknown): Promise<ResourceRecord> {
    if (typeof text !== 'string' || text.trim() === '') throw invalid(comments, ["Comments can't be blank"])
    const parentId = await this.#parentId(p)
    return this.#insert(
      'comments',
      p,
      { comments: text, commentable_type: p.parent.recordType, commentable_id: parentId },
      null,
    )
  }

  /** `PUT /api/invoices/:id/image_scan`: the scan replaces the one before (which is kept). */
  async setImageScan(p: Parent, upload: UploadedFile): Promise<StoredFile> {
    const file = checkFile(upload, this.maxFileBytes, IMAGE_SCAN_TYPES)
    const fields = { file: file.name, file_file_size: file.bytes.length, file_content_type: file.contentType }
    await this.#insert('image_scans', p, fields, file.bytes)
    return file
  }

  /** `GET /api/invoices/:id/retrieve_image_scan`; 404 when the invoice has none. */
  async imageScan(p: Parent): Promise<StoredFile> {
    const parentId = await this.#parentId(p)
    const query = {
      kind: 'image_scans',
      parentResource: p.def.name,
      parentId,
      offset: 0,
      limit: 1,
      newestFirst: true,
    }
    const [latest] = await this.#options.store.listNestedRecords(query)
    const stored =
      latest &&
      (await this.#options.store.getNestedRecord(
        'image_scans',
        { resource: p.def.name, id: parentId },
        latest.id,
      ))
    if (!stored?.content) throw new NotFoundError(`Invoice ${parentId} has no image scan`)
    return fileOf(recordOf(stored), stored.content)
  }

  /** The parent's id, once it is known to exist (NotFoundError otherwise). */
  async #parentId(p: Parent): Promise<number> {
    const record = await this.#options.api.show(p.def, p.id)
    return record.id
  }

  async #list(kind: string, p: Parent, page: Page): Promise<ResourceRecord[]> {
    const parentId = await this.#parentId(p)
    const rows = await this.#options.store.listNestedRecords({
      kind,
      parentResource: p.def.name,
      parentId,
      ...page,
    })
    return rows.map(recordOf)
  }

  async #get(kind: string, p: Parent, id: string): Promise<NestedRecord> {
    const parentId = await this.#parentId(p)
    const number = Number(id)
    const stored =
      Number.isSafeInteger(number) && number > 0
        ? await this.#options.store.getNestedRecord(kind, { resource: p.def.name, id: parentId }, number)
        : undefined
    if (!stored)
      throw new NotFoundError(
        `No ${kind === 'comments' ? 'comment' : 'attachment'} with id ${JSON.stringify(id.slice(0, 40))} on ${p.def.name} ${parentId}`,
      )
    return stored
  }

  async #insert(
    kind: string,
    p: Parent,
    fields: Record<string, unknown>,
    content: Buffer | null,
  ): Promise<ResourceRecord> {
    const parentId = await this.#parentId(p)
    const id = await this.#options.store.reserveRecordIds(`$${kind}`, 1)
    const now = new Date(this.#options.clock.now()).toISOString()
    const record = { id, created_at: now, updated_at: now, ...fields }
    await this.#options.store.insertNestedRecord({
      kind,
      id,
      parentResource: p.def.name,
      parentId,
      data: JSON.stringify(record),
      content,
    })
    return record as ResourceRecord
  }
}

/** `offset` and `limit` of a list (limit at most 50, as every Coupa list: §4.2). */
export interface Page {
  offset: number
  limit: number
}

function recordOf(stored: NestedRecord): ResourceRecord {
  return JSON.parse(stored.data) as ResourceRecord
}

function fileOf(record: ResourceRecord, bytes: Buffer): StoredFile {
  return { name: String(record.file ?? 'file'), contentType: String(record.file_content_type), bytes }
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

function invalid(def: ResourceDefinition, messages: string[]): RecordError {
  return new RecordError(def.singular, messages)
}
