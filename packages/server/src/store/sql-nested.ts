/** The statements of the records under a record (nested-store.ts), for SqlStore. Portable SQL. */
import type { NestedQuery, NestedRecord } from './nested-store.ts'
import type { SqlSession } from './sql-driver.ts'
import type { Row } from './sql-rows.ts'

const COLUMNS = 'kind, id, parent_resource, parent_id, data'

export async function insertNestedRecord(db: SqlSession, r: NestedRecord): Promise<void> {
  await db.run(`INSERT INTO api_nested_records (${COLUMNS}, content) VALUES (?, ?, ?, ?, ?, ?)`, [
    r.kind,
    r.id,
    r.parentResource,
    r.parentId,
    r.data,
    r.content,
  ])
}

export async function listNestedRecords(db: SqlSession, q: NestedQuery): Promise<NestedRecord[]> {
  const rows = await db.all(
    `SELECT ${COLUMNS} FROM api_nested_records WHERE kind = ? AND parent_resource = ? AND parent_id = ?
      ORDER BY id ${q.newestFirst ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`,
    [q.kind, q.parentResource, q.parentId, q.limit, q.offset],
  )
  return rows.map((row) => toNestedRecord(row, null))
}

export async function getNestedRecord(
  db: SqlSession,
  kind: string,
  parent: { resource: string; id: number },
  id: number,
): Promise<NestedRecord | undefined> {
  const [row] = await db.all(
    `SELECT ${COLUMNS}, content FROM api_nested_records
      WHERE kind = ? AND id = ? AND parent_resource = ? AND parent_id = ?`,
    [kind, id, parent.resource, parent.id],
  )
  if (row === undefined) return undefined
  const content = row.content
  return toNestedRecord(row, content == null ? null : Buffer.from(content as Uint8Array))
}

function toNestedRecord(row: Row, content: Buffer | null): NestedRecord {
  return {
    kind: String(row.kind),
    id: Number(row.id),
    parentResource: String(row.parent_resource),
    parentId: Number(row.parent_id),
    data: String(row.data),
    content,
  }
}
