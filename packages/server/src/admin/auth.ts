import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ScryptBusyError } from '../crypto/passwords.ts'
import { ProblemError } from '../http/problem.ts'
import type { AuthThrottle } from '../oauth/throttle.ts'
import { type AdminSession, type AdminSessions, SESSION_ABSOLUTE_MS } from './sessions.ts'
import type { AdminUsers } from './users.ts'

const CHALLENGE = 'Basic realm="Keyshift admin", charset="UTF-8"'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin user who signed an admin API request in: the actor of the audit log. */
    adminUser?: string
  }
}

export interface AdminAuthDeps {
  users: AdminUsers
  sessions: AdminSessions
  /** Slows and then refuses repeated wrong passwords, per address and per username. */
  throttle: AuthThrottle
  /** The instance's public URL: an https issuer makes the session cookie Secure. */
  issuer: string
}

/**
 * Signs admin API calls in: HTTP Basic with an admin user (RFC 7617) for scripts, or the session
 * cookie of the Setup pages. With the cookie, a state-changing call must also carry the session's
 * CSRF token in `X-CSRF-Token`; any state-changing call that names an `Origin` must come from this
 * instance.
 */
export class AdminAuth {
  readonly #deps: AdminAuthDeps
  /** `__Host-` keeps the cookie to this host and path `/` (RFC 6265bis §4.1.3.2); it needs Secure. */
  readonly cookieName: string
  readonly #secure: boolean
  readonly #issuer: URL

  constructor(deps: AdminAuthDeps) {
    this.#deps = deps
    this.#issuer = new URL(deps.issuer)
    this.#secure = this.#issuer.protocol === 'https:'
    this.cookieName = this.#secure ? '__Host-keyshift_session' : 'keyshift_session'
  }

  /** The onRequest hook of every admin route but sign-in. */
  readonly hook = async (request: FastifyRequest): Promise<void> => {
    // A browser may hold Basic credentials too (after its own prompt): a change sent from another
    // site is refused whatever signs it in. Browsers send Origin with every cross-site POST/PUT/…;
    // scripts send none.
    const origin = request.headers.origin
    if (
      !SAFE_METHODS.has(request.method) &&
      origin !== undefined &&
      !sameOrigin(origin, request.headers.host, this.#issuer)
    ) {
      throw new ProblemError(403, 'cross-origin request refused: use the Setup pages of this instance')
    }
    if (request.headers.authorization !== undefined) {
      request.adminUser = await this.#basic(request)
      return
    }
    const session = await this.session(request)
    if (!session) throw unauthorized(request)
    if (!SAFE_METHODS.has(request.method)) this.#checkCsrf(request, session)
    request.adminUser = session.username
  }

  /** The live session of the request's cookie, if any. */
  async session(request: FastifyRequest): Promise<AdminSession | undefined> {
    const id = readCookie(request.headers.cookie, this.cookieName)
    return id === undefined ? undefined : this.#deps.sessions.find(id)
  }

  /**
   * Checks a username and password with the throttle; throws 401 or 429 when they are refused.
   * Every attempt is reserved with the throttle before it is checked (AuthThrottle.reserve says what
   * is refused and what is only held back), even one that AdminUsers answers without scrypt: a
   * quick answer tells a right password from a wrong one as well as a slow one. The check runs in
   * the scrypt queue of its address (crypto/passwords.ts), so a right password from an address that
   * made no guesses itself is never refused, whatever others guessed, nor waits behind their guesses.
   */
  async verifyPassword(request: FastifyRequest, username: string, password: string): Promise<void> {
    if (!(await this.#checkThrottled(request.ip, username, password))) {
      throw new ProblemError(401, 'wrong username or password', { password: ['wrong username or password'] })
    }
  }

  async #checkThrottled(address: string, username: string, password: string): Promise<boolean> {
    const { users, throttle } = this.#deps
    const account = username.slice(0, 200)
    const admission = throttle.reserve(address, account)
    if (!admission.admitted) throw tooManySignIns('too many failed sign-ins', admission.retryAfter)
    const { attempt, waitMs } = admission
    let right: boolean
    try {
      if (waitMs > 0) await sleep(waitMs)
      right = await users.verify(username, password, address)
    } catch (error) {
      attempt.release()
      if (error instanceof ScryptBusyError) {
        throw tooManySignIns('too many sign-ins at once from this address', error.retryAfterSeconds)
      }
      throw error
    }
    if (right) {
      attempt.release()
      throttle.succeeded(address, account)
      return true
    }
    const delay = attempt.confirm()
    if (delay > 0) await sleep(delay)
    return false
  }

  /** Sets the cookie of a new session: it lives as long as the session may (SESSION_ABSOLUTE_MS). */
  setCookie(reply: FastifyReply, session: AdminSession): void {
    reply.header('set-cookie', this.#cookie(session.id, SESSION_ABSOLUTE_MS / 1000))
  }

  clearCookie(reply: FastifyReply): void {
    reply.header('set-cookie', this.#cookie('', 0))
  }

  #cookie(value: string, maxAgeSeconds: number): string {
    const secure = this.#secure ? '; Secure' : ''
    return `${this.cookieName}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`
  }

  async #basic(request: FastifyRequest): Promise<string> {
    const credentials = parseBasic(request.headers.authorization)
    if (!credentials) throw unauthorized(request)
    try {
      await this.verifyPassword(request, credentials.username, credentials.password)
    } catch (error) {
      if (error instanceof ProblemError && error.status === 401) throw unauthorized(request)
      throw error
    }
    return credentials.username
  }

  #checkCsrf(request: FastifyRequest, session: AdminSession): void {
    const sent = request.headers['x-csrf-token']
    if (!this.#deps.sessions.csrfMatches(session, typeof sent === 'string' ? sent : undefined)) {
      throw new ProblemError(403, 'missing or wrong X-CSRF-Token: reload the Setup page and try again')
    }
  }
}

function tooManySignIns(why: string, retryAfter: number): ProblemError {
  const error = new ProblemError(429, `${why}: try again in ${retryAfter} s`)
  error.headers['retry-after'] = String(retryAfter)
  return error
}

function unauthorized(request: FastifyRequest): ProblemError {
  const error = new ProblemError(
    401,
    'sign in with an admin user: HTTP Basic (admin:<password>) or the Setup pages; the first password is in the data folder or KEYSHIFT_ADMIN_PASSWORD',
  )
  // The Setup pages sign in with their own form: a challenge would make the browser ask instead.
  if (request.headers['x-requested-with'] === undefined) error.headers['www-authenticate'] = CHALLENGE
  return error
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return undefined
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** The value of cookie `name` in a Cookie header (RFC 6265 §5.4), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim()
  }
  return undefined
}

/**
 * True when the browser's `Origin` is this instance: scheme, host and port (RFC 6454 §5), default
 * ports aside. This instance is the issuer's origin, or the issuer's scheme with the host the request
 * was sent to (a name other than the issuer's, such as 127.0.0.1). The scheme is always the issuer's:
 * behind TLS termination the request arrives over http, yet the page that sent it was https, and a
 * page served over plain http (which anyone on the network can write) is another origin.
 */
function sameOrigin(origin: string, host: string | undefined, issuer: URL): boolean {
  let from: URL
  try {
    from = new URL(origin)
  } catch {
    return false // `null` (a sandboxed or opaque origin), or not a URL
  }
  if (from.origin === issuer.origin) return true
  if (host === undefined) return false
  try {
    return new URL(`${issuer.protocol}//${host}`).origin === from.origin
  } catch {
    return false
  }
}
