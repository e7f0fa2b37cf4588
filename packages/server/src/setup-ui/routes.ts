import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { ProblemError, problemErrorHandler } from '../http/problem.ts'

/** The Setup pages (DESIGN.md contracts); each answers the same page, which routes in the browser. */
export const SETUP_PAGES = [
  '/',
  '/sign_in',
  '/api_keys',
  '/oauth2/clients',
  '/oauth2/scopes',
  '/setup/transition',
  '/setup/custom_fields',
]

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
}

// Only this instance's own scripts and styles run; nothing is framed, nothing leaves for elsewhere.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

export interface SetupUiOptions {
  /** The folder `npm run build -w @keyshift/web` writes: index.html and assets/. */
  root: string
}

/**
 * Serves the built Setup UI from memory: a handful of files, read once at start. Asset names carry
 * a content hash, so they are cached for good; the page itself never is.
 */
export async function setupUiRoutes(app: FastifyInstance, { root }: SetupUiOptions): Promise<void> {
  // Problem details, even under /oauth2/: these are pages, not the authorization server.
  app.setErrorHandler(problemErrorHandler)
  const indexPath = join(root, 'index.html')
  const built = existsSync(indexPath)
  if (!built) app.log.warn({ root }, 'the Setup pages are not built: run npm run build -w @keyshift/web')
  const index = built ? readFileSync(indexPath) : undefined
  const assets = new Map<string, Buffer>()
  const assetsDir = join(root, 'assets')
  if (built && existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) assets.set(name, readFileSync(join(assetsDir, name)))
  }

  const page = async (_request: unknown, reply: FastifyReply) => {
    reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-store' })
    if (!index) {
      throw new ProblemError(
        503,
        'the Setup pages are not built: run `npm run build -w @keyshift/web` (npm start does it), then restart',
      )
    }
    return reply.type('text/html; charset=utf-8').send(index)
  }
  for (const path of SETUP_PAGES) app.get(path, page)

  app.get<{ Params: { name: string } }>('/setup/assets/:name', async function asset(request, reply) {
    const content = assets.get(request.params.name)
    const type = CONTENT_TYPES[extname(request.params.name)]
    if (!content || !type) throw new ProblemError(404, 'no such asset: reload the page')
    reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'public, max-age=31536000, immutable' })
    return reply.type(type).send(content)
  })
}
