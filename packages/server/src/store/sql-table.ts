import type {
  AdminSessionRecord,
  AdminUserRecord,
  ApiKeyRecord,
  CustomFieldRecord,
  OAuthClientRecord,
} from '../contract/records.ts'
import type { SqlSession } from './sql-driver.ts'
import { nullableNumber, nullableString, type Row } from './sql-rows.ts'

/** How a column holds its field: `?` marks a nullable one. */
type Kind = 'text' | 'text?' | 'int' | 'int?' | 'bool' | 'words' | 'json?'

const decode: Record<Kind, (value: unknown) => unknown> = {
  text: String,
  'text?': nullableString,
  int: Number,
  'int?': nullableNumber,
  bool: (value) => Number(value) === 1,
  words: (value) => String(value).split(' ').filter(Boolean),
  'json?': (value) => (value === null || value === undefined ? null : JSON.parse(String(value))),
}

const encode: Partial<Record<Kind, (value: unknown) => unknown>> = {
  bool: (value) => (value ? 1 : 0),
  words: (value) => (value as string[]).join(' '),
  'json?': (value) => (value === null ? null : JSON.stringify(value)),
}

interface Column<R> {
  field: keyof R & string
  /** The field in snake_case: `contactFirstName` → `contact_first_name`. */
  name: string
  kind: Kind
}

/**
 * One table of records, described once: its columns as `field:kind` words (`text` when no kind is
 * given), in the order of the table. The description drives its INSERT, its UPDATE and the reading
 * of its rows.
 */
export interface RecordTable<R> {
  name: string
  columns: ReadonlyArray<Column<R>>
}

function table<R>(name: string, columns: string): RecordTable<R> {
  return {
    name,
    columns: columns.split(/\s+/).map((word) => {
      const [field, kind = 'text'] = word.split(':') as [keyof R & string, Kind?]
      return { field, name: field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), kind }
    }),
  }
}

export const clientTable = table<OAuthClientRecord>(
  'oauth_clients',
  `id clientId name grantType scopes:words login contactFirstName:text? contactLastName:text?
   contactEmail:text? active:bool secretHash previousSecretHash:text? previousSecretExpiresAt:int?
   createdAt:int updatedAt:int tokensRevokedAt:int?`.trim(),
)

export const apiKeyTable = table<ApiKeyRecord>(
  'api_keys',
  `id name description:text? contactFirstName:text? contactLastName:text? contactLogin contactEmail keyHash
   expiresOn:text? permissions:json? revokedAt:int? replacementClientId:text? deprecationAt:int?
   sunsetAt:int? createdAt:int updatedAt:int`.trim(),
)

export const adminUserTable = table<AdminUserRecord>('admin_users', 'username passwordHash createdAt:int')

export const adminSessionTable = table<AdminSessionRecord>(
  'admin_sessions',
  'idHash username createdAt:int lastSeenAt:int expiresAt:int',
)

// `values` is the SQL keyword VALUES: its column is lookup_values.
export const customFieldTable: RecordTable<CustomFieldRecord> = (() => {
  const described = table<CustomFieldRecord>(
    'custom_fields',
    'id resource name label type values:json? required:bool active:bool createdAt:int updatedAt:int',
  )
  const columns = described.columns.map((c) => (c.field === 'values' ? { ...c, name: 'lookup_values' } : c))
  return { ...described, columns }
})()

/** The statements of one table of records: insert, read by a column, list, update. */
export class SqlTable<R> {
  readonly #db: SqlSession
  readonly #table: RecordTable<R>

  constructor(db: SqlSession, table: RecordTable<R>) {
    this.#db = db
    this.#table = table
  }

  async insert(record: R): Promise<void> {
    const { name, columns } = this.#table
    const names = columns.map((column) => column.name).join(', ')
    const places = columns.map(() => '?').join(', ')
    await this.#db.run(`INSERT INTO ${name} (${names}) VALUES (${places})`, this.#values(columns, record))
  }

  /** The record of the one row whose `column` is `value`, or undefined. */
  async one(column: string, value: unknown): Promise<R | undefined> {
    const [row] = await this.#db.all(`SELECT * FROM ${this.#table.name} WHERE ${column} = ?`, [value])
    return row && this.#record(row)
  }

  /** Every record, oldest first. */
  async all(): Promise<R[]> {
    const rows = await this.#db.all(`SELECT * FROM ${this.#table.name} ORDER BY created_at, id`)
    return rows.map((row) => this.#record(row))
  }

  /**
   * Writes the fields `changes` names to the record with this `id` and answers it as it is now, or
   * undefined when there is none. A field given as undefined (an optional field passed along) is
   * not a change: it must not write NULL.
   */
  async update(id: string, changes: Partial<R>): Promise<R | undefined> {
    const columns = this.#table.columns.filter((c) => c.field !== 'id' && changes[c.field] !== undefined)
    const assignments = columns.map((column) => `${column.name} = ?`).join(', ')
    const params = [...this.#values(columns, changes), id]
    await this.#db.run(`UPDATE ${this.#table.name} SET ${assignments} WHERE id = ?`, params)
    return this.one('id', id)
  }

  #values(columns: ReadonlyArray<Column<R>>, record: Partial<R>): unknown[] {
    return columns.map(({ field, kind }) => (encode[kind] ?? ((value) => value))(record[field]))
  }

  #record(row: Row): R {
    const entries = this.#table.columns.map(({ field, name, kind }) => [field, decode[kind](row[name])])
    return Object.fromEntries(entries) as R
  }
}
