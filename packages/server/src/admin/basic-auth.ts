import type { FastifyRequest } from 'fastify'
import { ProblemError } from '../http/error-handler.ts'
import type { AdminUsers } from './users.ts'

const CHALLENGE = 'Basic realm="Keyshift admin", charset="UTF-8"'

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin user who signed an admin API request in: the actor of the audit log. */
    adminUser?: string
  }
}

/** Authenticates admin API calls with HTTP Basic and an admin user (RFC 7617). */
export function createAdminAuth(users: AdminUsers) {
  return async function adminAuth(request: FastifyRequest): Promise<void> {
    const credentials = parseBasic(request.headers.authorization)
    if (!credentials || !(await users.verify(credentials.username, credentials.password))) {
      const error = new ProblemError(
        401,
        'sign in with an admin user: HTTP Basic (admin:<password>); the first password is in the data folder or KEYSHIFT_ADMIN_PASSWORD',
      )
      error.headers['www-authenticate'] = CHALLENGE
      throw error
    }
    request.adminUser = credentials.username
  }
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return undefined
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
