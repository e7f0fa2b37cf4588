import { migrations } from './migrations.ts'
import type {
  AdminUserRecord,
  OAuthClientChanges,
  OAuthClientRecord,
  RevokedTokenRecord,
  SigningKeyRecord,
  Store,
} from './store.ts'

type Row = Record<string, unknown>

/** Portable SQL with `?` placeholders. */
export interface SqlSession {
  all(sql: string, params?: unknown[]): Promise<Row[]>
  run(sql: string, params?: unknown[]): Promise<number>
  /** Runs the statements atomically: all or none. */
  batch(statements: Array<{ sql: string; params?: unknown[] }>): Promise<void>
}

/** What SqlStore needs from a database. */
export interface SqlDriver extends SqlSession {
  readonly kind: Store['kind']
  /**
   * Runs `fn` while no other node or call migrates the same database. `fn` gets the session that
   * holds the lock: a migration needs no second connection, so it cannot wait on its own pool.
   */
  withMigrationLock<T>(fn: (db: SqlSession) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** The one implementation of Store; the backends differ only in their SqlDriver. */
export class SqlStore implements Store {
  readonly kind: Store['kind']
  constructor(private readonly db: SqlDriver) {
    this.kind = db.kind
  }

  async migrate(): Promise<void> {
    await this.db.withMigrationLock(async (db) => {
      await db.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      )
      const applied = new Set(
        (await db.all('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
      )
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue
        await db.batch([
          ...migration.statements.map((sql) => ({ sql })),
          {
            sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
            params: [migration.version, migration.name, Date.now()],
          },
        ])
      }
    })
  }

  close(): Promise<void> {
    return this.db.close()
  }

  async getOrInitSetting(key: string, value: string): Promise<string> {
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      key,
      value,
    ])
    const [row] = await this.db.all('SELECT value FROM settings WHERE key = ?', [key])
    return String(row?.value)
  }

  async insertClient(c: OAuthClientRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO oauth_clients (id, client_id, name, grant_type, scopes, login, contact_first_name,
        contact_last_name, contact_email, active, secret_hash, previous_secret_hash,
        previous_secret_expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.id,
        c.clientId,
        c.name,
        c.grantType,
        c.scopes.join(' '),
        c.login,
        c.contactFirstName,
        c.contactLastName,
        c.contactEmail,
        c.active ? 1 : 0,
        c.secretHash,
        c.previousSecretHash,
        c.previousSecretExpiresAt,
        c.createdAt,
        c.updatedAt,
      ],
    )
  }

  async getClient(id: string): Promise<OAuthClientRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM oauth_clients WHERE id = ?', [id])
    return row && toClient(row)
  }

  async getClientByClientId(clientId: string): Promise<OAuthClientRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM oauth_clients WHERE client_id = ?', [clientId])
    return row && toClient(row)
  }

  async listClients(): Promise<OAuthClientRecord[]> {
    return (await this.db.all('SELECT * FROM oauth_clients ORDER BY created_at, id')).map(toClient)
  }

  async updateClient(id: string, changes: OAuthClientChanges): Promise<OAuthClientRecord | undefined> {
    const columns: string[] = []
    const params: unknown[] = []
    for (const [field, column] of clientColumns) {
      const value = changes[field]
      // `{ name: undefined }` (an optional field passed along) is not a change: it must not write NULL.
      if (value === undefined) continue
      columns.push(`${column} = ?`)
      params.push(Array.isArray(value) ? value.join(' ') : typeof value === 'boolean' ? Number(value) : value)
    }
    params.push(id)
    await this.db.run(`UPDATE oauth_clients SET ${columns.join(', ')} WHERE id = ?`, params)
    return this.getClient(id)
  }

  async insertSigningKey(k: SigningKeyRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
      [k.kid, k.alg, JSON.stringify(k.privateJwk), JSON.stringify(k.publicJwk), k.createdAt, k.retiredAt],
    )
  }

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    const rows = await this.db.all('SELECT * FROM signing_keys ORDER BY created_at, kid')
    return rows.map((r) => ({
      kid: String(r.kid),
      alg: 'ES256',
      privateJwk: JSON.parse(String(r.private_jwk)),
      publicJwk: JSON.parse(String(r.public_jwk)),
      createdAt: Number(r.created_at),
      retiredAt: nullableNumber(r.retired_at),
    }))
  }

  async retireSigningKeys(exceptKid: string, at: number): Promise<void> {
    await this.db.run('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?', [
      at,
      exceptKid,
    ])
  }

  async insertRevokedToken(t: RevokedTokenRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO revoked_tokens (jti, client_id, expires_at, revoked_at) VALUES (?, ?, ?, ?) ON CONFLICT (jti) DO NOTHING',
      [t.jti, t.clientId, t.expiresAt, t.revokedAt],
    )
  }

  async listRevokedTokens(now: number): Promise<RevokedTokenRecord[]> {
    const rows = await this.db.all('SELECT * FROM revoked_tokens WHERE expires_at > ? ORDER BY revoked_at', [
      now,
    ])
    return rows.map((r) => ({
      jti: String(r.jti),
      clientId: String(r.client_id),
      expiresAt: Number(r.expires_at),
      revokedAt: Number(r.revoked_at),
    }))
  }

  deleteExpiredRevocations(now: number): Promise<number> {
    return this.db.run('DELETE FROM revoked_tokens WHERE expires_at <= ?', [now])
  }

  async insertAdminUser(u: AdminUserRecord): Promise<void> {
    await this.db.run('INSERT INTO admin_users (username, password_hash, created_at) VALUES (?, ?, ?)', [
      u.username,
      u.passwordHash,
      u.createdAt,
    ])
  }

  async getAdminUser(username: string): Promise<AdminUserRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM admin_users WHERE username = ?', [username])
    return (
      row && {
        username: String(row.username),
        passwordHash: String(row.password_hash),
        createdAt: Number(row.created_at),
      }
    )
  }

  async countAdminUsers(): Promise<number> {
    const [row] = await this.db.all('SELECT COUNT(*) AS n FROM admin_users')
    return Number(row?.n ?? 0)
  }
}

const clientColumns: Array<[keyof OAuthClientChanges, string]> = [
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

function toClient(r: Row): OAuthClientRecord {
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

const nullableString = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
const nullableNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
