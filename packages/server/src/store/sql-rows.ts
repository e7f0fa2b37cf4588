/**
 * Rows to records and back, and the SQL fragments of record queries: what SqlStore needs besides
 * its statements. Portable SQL for SQLite and PostgreSQL.
 */
import type { ApiKeyRecord, OAuthClientRecord } from '../contract/records.ts'
import type {
  ApiKeyChanges,
  OAuthClientChanges,
  RecordCondition,
  RecordQuery,
  StoredRecord,
} from './store.ts'

export type Row = Record<string, unknown>

export const clientColumns: Array<[keyof OAuthClientChanges, string]> = [
  ['name', 'name'],
  ['scopes', 'scopes'],
  ['contactFirstName', 'contact_first_name'],
  ['contactLastName', 'contact_last_name'],
  ['contactEmail', 'contact_email'],
  ['active', 'active'],
  ['secretHash', 'secret_hash'],
  ['previousSecretHash', 'previous_secret_hash'],
  ['previousSecretExpiresAt', 'previous_secret_expires_at'],
  ['updatedAt', 'updated_at'],
]

export const apiKeyColumns: Array<[keyof ApiKeyChanges, string]> = [
  ['name', 'name'],
  ['description', 'description'],
  ['expiresOn', 'expires_on'],
  ['revokedAt', 'revoked_at'],
  ['replacementClientId', 'replacement_client_id'],
  ['deprecationAt', 'deprecation_at'],
  ['sunsetAt', 'sunset_at'],
  ['updatedAt', 'updated_at'],
]

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

export function toApiKey(r: Row): ApiKeyRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    description: nullableString(r.description),
    contactFirstName: nullableString(r.contact_first_name),
    contactLastName: nullableString(r.contact_last_name),
    contactLogin: String(r.contact_login),
    contactEmail: String(r.contact_email),
    keyHash: String(r.key_hash),
    expiresOn: nullableString(r.expires_on),
    permissions:
      r.permissions === null || r.permissions === undefined ? null : JSON.parse(String(r.permissions)),
    revokedAt: nullableNumber(r.revoked_at),
    replacementClientId: nullableString(r.replacement_client_id),
    deprecationAt: nullableNumber(r.deprecation_at),
    sunsetAt: nullableNumber(r.sunset_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }
}

export function toClient(r: Row): OAuthClientRecord {
  return {
    id: String(r.id),
    clientId: String(r.client_id),
    name: String(r.name),
    grantType: 'client_credentials',
    scopes: String(r.scopes).split(' ').filter(Boolean),
    login: String(r.login),
    contactFirstName: nullableString(r.contact_first_name),
    contactLastName: nullableString(r.contact_last_name),
    contactEmail: nullableString(r.contact_email),
    active: Number(r.active) === 1,
    secretHash: String(r.secret_hash),
    previousSecretHash: nullableString(r.previous_secret_hash),
    previousSecretExpiresAt: nullableNumber(r.previous_secret_expires_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }
}

export const nullableString = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v)
export const nullableNumber = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v)
