import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../contract/clock.ts'
import type { AdminSessionRecord } from '../contract/records.ts'
import type { Store } from '../store/store.ts'

/** A session ends after this long without a request (OWASP Session Management: 15–30 min idle). */
export const SESSION_IDLE_MS = 30 * 60_000
/** …and this long after sign-in, however active it is. */
export const SESSION_ABSOLUTE_MS = 12 * 3600_000
// A session's last use is written at most this often: not a store write per click.
const TOUCH_EVERY_MS = 60_000

export interface AdminSession {
  username: string
  /** The cookie's value: 256 random bits. Only its SHA-256 is stored. */
  id: string
  /** The token the Setup pages send in `X-CSRF-Token` with every state-changing call. */
  csrfToken: string
  /** When the session ends if it stays idle; never after its absolute end. */
  expiresAt: number
}

/**
 * Sessions of admins signed in to the Setup pages, kept in the store so that every node knows
 * them. The CSRF token is derived from the session id with a key of the instance (HMAC), so it
 * needs no storage and cannot be computed without the cookie's secret value.
 */
export class AdminSessions {
  readonly #store: Store
  readonly #clock: Clock
  readonly #csrfKey: string

  constructor({ store, clock, pepper }: { store: Store; clock: Clock; pepper: string }) {
    this.#store = store
    this.#clock = clock
    this.#csrfKey = `csrf:${pepper}`
  }

  async create(username: string): Promise<AdminSession> {
    const now = this.#clock.now()
    const id = randomBytes(32).toString('base64url')
    const record: AdminSessionRecord = {
      idHash: hashOf(id),
      username,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_ABSOLUTE_MS,
    }
    await this.#store.insertAdminSession(record)
    // Sign-in is a good moment to forget old sessions; there are few.
    await this.#store.deleteExpiredAdminSessions(now)
    return this.#view(id, record)
  }

  /** The live session of this cookie value, or undefined when it is unknown, idle too long or over. */
  async find(id: string): Promise<AdminSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined
    const record = await this.#store.getAdminSession(hashOf(id))
    const now = this.#clock.now()
    if (!record || now >= record.expiresAt || now >= record.lastSeenAt + SESSION_IDLE_MS) return undefined
    if (now - record.lastSeenAt >= TOUCH_EVERY_MS) {
      await this.#store.touchAdminSession(record.idHash, now)
      record.lastSeenAt = now
    }
    return this.#view(id, record)
  }

  async end(id: string): Promise<void> {
    await this.#store.deleteAdminSession(hashOf(id))
  }

  /** Constant-time check of the CSRF token sent with a state-changing call. */
  csrfMatches(session: AdminSession, sent: string | undefined): boolean {
    if (sent === undefined) return false
    const expected = Buffer.from(session.csrfToken)
    const given = Buffer.from(sent)
    return expected.length === given.length && timingSafeEqual(expected, given)
  }

  #view(id: string, record: AdminSessionRecord): AdminSession {
    return {
      username: record.username,
      id,
      csrfToken: createHmac('sha256', this.#csrfKey).update(id).digest('base64url'),
      expiresAt: Math.min(record.expiresAt, record.lastSeenAt + SESSION_IDLE_MS),
    }
  }
}

function hashOf(id: string): string {
  return createHash('sha256').update(id).digest('hex')
}
