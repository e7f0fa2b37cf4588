import type { FastifyInstance } from 'fastify'
import type { SessionView } from '../contract/wire.ts'
import { ProblemError, problemErrorHandler } from '../http/problem.ts'
import type { AdminAuth } from './auth.ts'
import { parseBody, signInBody } from './schemas.ts'
import type { AdminSession, AdminSessions } from './sessions.ts'

export interface SessionRouteDeps {
  auth: AdminAuth
  sessions: AdminSessions
}

/**
 * Sign-in, session and sign-out of the Setup pages under /admin/v1/session. The cookie is HttpOnly
 * and SameSite=Strict; the body gives the page the CSRF token it sends with every change.
 */
export async function sessionRoutes(app: FastifyInstance, { auth, sessions }: SessionRouteDeps) {
  app.setErrorHandler(problemErrorHandler)
  app.post('/session', async function signIn(request, reply) {
    const body = parseBody(signInBody, request.body)
    await auth.verifyPassword(request, body.username, body.password)
    const session = await sessions.create(body.username)
    request.log.info({ admin: body.username }, 'admin signed in')
    auth.setCookie(reply, session)
    reply.code(201).header('cache-control', 'no-store')
    return sessionView(session)
  })

  app.get('/session', async function currentSession(request, reply) {
    const session = await auth.session(request)
    if (!session) throw new ProblemError(401, 'not signed in, or the session has ended: sign in again')
    reply.header('cache-control', 'no-store')
    return sessionView(session)
  })

  app.delete('/session', async function signOut(request, reply) {
    const session = await auth.session(request)
    // Only the page that holds the session's CSRF token may sign its admin out.
    if (!session) throw new ProblemError(401, 'not signed in, or the session has ended')
    await auth.hook(request)
    await sessions.end(session.id)
    request.log.info({ admin: session.username }, 'admin signed out')
    auth.clearCookie(reply)
    return reply.code(204).send()
  })
}

function sessionView(session: AdminSession): SessionView {
  return {
    username: session.username,
    csrf_token: session.csrfToken,
    expires_at: new Date(session.expiresAt).toISOString(),
  }
}
