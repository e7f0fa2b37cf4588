import type { FastifyInstance } from 'fastify'
import { problemErrorHandler } from '../http/problem.ts'
import { type AdminDocumentOptions, adminApiDocument } from './openapi.ts'

/**
 * `GET /admin/v1/openapi.json`: the admin API's OpenAPI description (openapi.ts). Its own plugin,
 * beside the admin routes and outside their auth hook: it describes the API and holds no secret,
 * so anyone may read it, as anyone may read the core API's.
 */
export async function adminDocumentRoutes(
  app: FastifyInstance,
  options: Omit<AdminDocumentOptions, 'prefix'>,
): Promise<void> {
  app.setErrorHandler(problemErrorHandler)
  // Built once, at start-up: a schema zod cannot describe fails the start, not the first request.
  const document = adminApiDocument({ ...options, prefix: app.prefix })
  app.get('/openapi.json', async function adminOpenApiDocument() {
    return document
  })
}
