/**
 * Rows to records and back, and the SQL fragments of record queries: what SqlStore needs besides
 * its statements. Portable SQL for SQLite and PostgreSQL.
 */
import type { RecordCondition, RecordQuery, StoredRecord } from './store.ts'

export type Row = Record<string, unknown>

const recordColumns = new Set(['id', 'status', 'exported', 'updated_at'])
const operators = new Set(['=', '<>', '>', '<', '>=', '<=', 'in', 'not in', 'is null', 'is not null'])

/** One WHERE term; columns and operators come from fixed lists, values always as parameters. */
export function conditionSql({ column, op, value }: RecordCondition, params: unknown[]): string {
  if (!recordColumns.has(column) || !operators.has(op))
    throw new Error(`unsupported condition ${column} ${op}`)
  if (op === 'is null' || op === 'is not null') return `${column} ${op.toUpperCase()}`
  const bind = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v)
  if (op === 'in' || op === 'not in') {
    const list = Array.isArray(value) ? value : [value]
    if (list.length === 0) return op === 'in' ? '1 = 0' : '1 = 1'
    params.push(...list.map(bind))
    return `${column} ${op.toUpperCase()} (${list.map(() => '?').join(', ')})`
  }
  params.push(bind(value))
  return `${column} ${op} ?`
}

export function selectRecords(columns: string, resource: string, query: RecordQuery): [string, unknown[]] {
  const where = ['resource = ?']
  const params: unknown[] = [resource]
  for (const condition of query.conditions) where.push(conditionSql(condition, params))
  const dir = query.dir === 'desc' ? 'DESC' : 'ASC'
  const order = query.orderBy === 'updated_at' ? `updated_at ${dir}, id ${dir}` : `id ${dir}`
  params.push(query.limit, query.offset)
  return [
    `SELECT ${columns} FROM api_records WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`,
    params,
  ]
}

export function toStoredRecord(r: Row): StoredRecord {
  return {
    id: Number(r.id),
    status: nullableString(r.status),
    exported: r.exported === null || r.exported === undefined ? null : Number(r.exported) === 1,
    updatedAt: String(r.updated_at),
    data: String(r.data),
  }
}

export const nullableString = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v)
export const nullableNumber = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v)
