/**
 * The part of the storage contract for what lives under a core API record: attachments (with their
 * files), comments and invoice image scans (api/nested/). `Store` extends it.
 */

/** One record under a parent record; `content` holds the bytes of a file, when it has one. */
export interface NestedRecord {
  /** `attachments`, `comments` or `image_scans`. */
  kind: string
  id: number
  /** The parent's resource and id: `invoices`, 12. */
  parentResource: string
  parentId: number
  /** The record as JSON. */
  data: string
  content: Buffer | null
}

/** Which records under one parent, oldest first unless `newestFirst`. */
export interface NestedQuery {
  kind: string
  parentResource: string
  parentId: number
  offset: number
  limit: number
  newestFirst?: boolean
}

export interface NestedRecordStore {
  /** Stores a record (and its file) in one transaction; resolves once committed. */
  insertNestedRecord(record: NestedRecord): Promise<void>
  /** The records of one parent, without their content (`content` is null): lists never read files. */
  listNestedRecords(query: NestedQuery): Promise<NestedRecord[]>
  /** One record of one parent with its content, or undefined. */
  getNestedRecord(
    kind: string,
    parent: { resource: string; id: number },
    id: number,
  ): Promise<NestedRecord | undefined>
}
