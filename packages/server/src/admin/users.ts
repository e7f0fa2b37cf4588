import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '../contract/clock.ts'
import { hashPassword, verifyPassword } from '../crypto/passwords.ts'
import { type Store, StoreConflictError } from '../store/store.ts'

export const INITIAL_ADMIN = 'admin'
export const PASSWORD_FILE = 'admin-password.txt'

export type InitialAdmin =
  | { username: string; source: 'environment' }
  | { username: string; source: 'generated'; passwordFile: string }
  | { username: string; source: 'existing'; passwordFile?: string }

// A verified password is trusted for this long before scrypt runs again.
const VERIFIED_TTL_MS = 5 * 60_000
const MAX_VERIFIED = 1000

/** Admin users: people who sign in to Setup and the admin API. Passwords are hashed with scrypt. */
export class AdminUsers {
  readonly #store: Store
  readonly #clock: Clock
  // HMAC(process key, user:password) → verified until; scrypt costs ~0.25 s, scripts call often.
  readonly #verified = new Map<string, number>()
  // HMAC(process key, user:password) → their check, while it runs
  readonly #checking = new Map<string, Promise<boolean>>()
  readonly #cacheKey = randomBytes(32)

  constructor({ store, clock }: { store: Store; clock: Clock }) {
    this.#store = store
    this.#clock = clock
  }

  /**
   * Creates the first admin user `admin` when the store has none: with `password` when given
   * (KEYSHIFT_ADMIN_PASSWORD), otherwise with a random password written to a 0600 file in `dataDir`.
   */
  async ensureInitialAdmin({
    password,
    dataDir,
  }: {
    password?: string | undefined
    dataDir: string
  }): Promise<InitialAdmin> {
    const passwordFile = join(dataDir, PASSWORD_FILE)
    if ((await this.#store.countAdminUsers()) > 0) {
      return {
        username: INITIAL_ADMIN,
        source: 'existing',
        ...(existsSync(passwordFile) && { passwordFile }),
      }
    }
    const chosen = password ?? randomBytes(18).toString('base64url')
    if (password === undefined) writeSecretFile(passwordFile, `${chosen}\n`)
    try {
      await this.create(INITIAL_ADMIN, chosen)
    } catch (error) {
      // Another node created it first.
      if (error instanceof StoreConflictError) return { username: INITIAL_ADMIN, source: 'existing' }
      throw error
    }
    return password === undefined
      ? { username: INITIAL_ADMIN, source: 'generated', passwordFile }
      : { username: INITIAL_ADMIN, source: 'environment' }
  }

  async create(username: string, password: string): Promise<void> {
    await this.#store.insertAdminUser({
      username,
      passwordHash: await hashPassword(password),
      createdAt: this.#clock.now(),
    })
  }

  /**
   * True when the username and password are right. A password verified within 5 minutes is
   * answered without scrypt, and the same username and password asked while their check runs join
   * it; any other check runs in the scrypt queue of `address` (crypto/passwords.ts). The caller
   * throttles every call, these too: a quick answer still tells a right password from a wrong one.
   */
  verify(username: string, password: string, address: string): Promise<boolean> {
    const key = this.#keyOf(username, password)
    const until = this.#verified.get(key)
    if (until !== undefined && until > this.#clock.now()) return Promise.resolve(true)
    const running = this.#checking.get(key)
    if (running) return running
    const check = this.#check(key, username, password, address)
    this.#checking.set(key, check)
    const forget = () => this.#checking.delete(key)
    check.then(forget, forget)
    return check
  }

  async #check(key: string, username: string, password: string, address: string): Promise<boolean> {
    // Control characters (NUL among them) are in no username; PostgreSQL refuses NUL in text.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
    const user = /[\x00-\x1f\x7f]/.test(username) ? undefined : await this.#store.getAdminUser(username)
    // Unknown users cost a hash too, so that timing does not tell which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH, address)
    if (!ok || !user) return false
    if (this.#verified.size >= MAX_VERIFIED) this.#verified.clear()
    this.#verified.set(key, this.#clock.now() + VERIFIED_TTL_MS)
    return true
  }

  #keyOf(username: string, password: string): string {
    return createHmac('sha256', this.#cacheKey).update(`${username}\0${password}`).digest('hex')
  }
}

// scrypt hash of a random password nobody knows, with the same parameters as real ones.
const DECOY_HASH = 'scrypt$131072$8$1$3Fh1a9l7cO0u0H8g7m1q6w$2kJ0c3mB4n5Q6r7S8t9U0v1W2x3Y4z5A6b7C8d9E0fQ'

/** Writes a file only its owner can read, atomically (temp file + rename). */
function writeSecretFile(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, content, { mode: 0o600 })
  renameSync(temp, path)
}
