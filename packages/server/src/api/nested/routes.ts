/**
 * The sub-resources under a record (coupa-api-facts.md §4.3, §4.4), registered by api/routes.ts in
 * a context of their own, which adds the body parsers that only they take (multipart/form-data
 * and raw files, each bounded in size before it is read):
 *
 *   GET  /api/<parent>/:id/attachments                        list (`<attachments type="array">`)
 *   GET  /api/<parent>/:id/attachments/:attachment_id         one attachment's metadata
 *   GET  /api/<parent>/:id/attachments/:attachment_id/download  its file
 *   POST /api/<parent>/:id/attachments                        a file (multipart), a URL or a text
 *   GET  /api/<parent>/:id/comments[/:comment_id], POST /api/<parent>/:id/comments
 *   PUT  /api/invoices/:id/image_scan, GET /api/invoices/:id/retrieve_image_scan
 *
 * for the parents invoices, purchase_orders and requisitions. Each call is permitted and counted
 * as the engine's are (`invoices#add_attachment`, catalogue/nested.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Principal } from '../../auth/principal.ts'
import {
  attachments,
  comments,
  type NestedParent,
  nestedParents,
  nestedScope,
  type ResourceDefinition,
} from '../../catalogue/index.ts'
import { type Format, responseFormat } from '../format.ts'
import { parseQuery } from '../query/index.ts'
import type { Answer, ResourceReads } from '../reads.ts'
import {
  noResultsXml,
  parseRequestBody,
  type ResolveResource,
  type ResourceRecord,
  renderList,
  renderRecord,
} from '../representation/index.ts'
import { attachmentInput, pageOf, type Received, scanUpload, textBody } from './bodies.ts'
import { contentDisposition } from './files.ts'
import type { NestedService, StoredFile } from './service.ts'

export interface NestedRouteDeps {
  issuer: string
  nested: NestedService
  /** The largest file accepted, in bytes; bodies are bounded by it before they are read. */
  maxFileBytes: number
  reads: ResourceReads
  resolve: ResolveResource
  /** The engine's permit step for a resource (api/routes.ts): authorize, count, return the caller. */
  permitFor(def: ResourceDefinition): (request: FastifyRequest, action: string, scope: string) => Principal
}

type Params = { Params: { id: string; attachment_id?: string; comment_id?: string } }

/** Room for the multipart framing and the form's text fields around the file. */
const MULTIPART_OVERHEAD = 1024 * 1024

export async function nestedRoutes(app: FastifyInstance, deps: NestedRouteDeps): Promise<void> {
  const options = { parseAs: 'buffer' as const, bodyLimit: deps.maxFileBytes + MULTIPART_OVERHEAD }
  const keepBodyBytes = (
    _request: FastifyRequest,
    body: Buffer | string,
    done: (e: null, b: unknown) => void,
  ) => done(null, body)
  app.addContentTypeParser('multipart/form-data', options, keepBodyBytes)
  // Every other type is read as bytes, so that the routes answer it in their own words (415).
  app.addContentTypeParser('*', options, keepBodyBytes)
  for (const parent of nestedParents) {
    const def = deps.resolve(parent.resource)
    if (def) registerParent(app, parent, def, deps)
  }
  const invoices = deps.resolve('invoices')
  if (invoices) registerImageScan(app, invoices, deps)
}

function registerParent(
  app: FastifyInstance,
  parent: NestedParent,
  def: ResourceDefinition,
  deps: NestedRouteDeps,
) {
  const { nested, resolve } = deps
  const permit = deps.permitFor(def)
  const base = `/${def.name}/:id`
  const of = (request: FastifyRequest<Params>) => ({ parent, def, id: request.params.id })
  const read = nestedScope(def.name, 'attachments')
  const attach = nestedScope(def.name, 'add_attachment')
  const attachmentConfig = { config: { resource: attachments.singular } }
  const commentConfig = { config: { resource: comments.singular } }
  const withUrl = (record: ResourceRecord, request: FastifyRequest<Params>) =>
    record.type === 'AttachmentFile'
      ? {
          ...record,
          file_url: `${deps.issuer}/api/${def.name}/${encodeURIComponent(request.params.id)}/attachments/${record.id}/download`,
        }
      : record

  app.get<Params>(`${base}/attachments`, attachmentConfig, async function listAttachments(request, reply) {
    permit(request, 'attachments', read)
    const records = await nested.listAttachments(of(request), pageOf(received(request)))
    return sendList(
      request,
      reply,
      attachments,
      records.map((r) => withUrl(r, request)),
      resolve,
    )
  })

  app.get<Params>(
    `${base}/attachments/:attachment_id`,
    attachmentConfig,
    async function showAttachment(request, reply) {
      permit(request, 'attachments', read)
      const record = await nested.showAttachment(of(request), request.params.attachment_id ?? '')
      return sendRecord(request, reply, attachments, withUrl(record, request), resolve)
    },
  )

  app.get<Params>(
    `${base}/attachments/:attachment_id/download`,
    attachmentConfig,
    async function downloadAttachment(request, reply) {
      permit(request, 'attachments', read)
      return sendFile(reply, await nested.attachmentFile(of(request), request.params.attachment_id ?? ''))
    },
  )

  app.post<Params>(`${base}/attachments`, attachmentConfig, async function addAttachment(request, reply) {
    permit(request, 'add_attachment', attach)
    const record = await nested.addAttachment(
      of(request),
      await attachmentInput(received(request), resolve, deps.maxFileBytes),
    )
    return sendRecord(request, reply.code(201), attachments, withUrl(record, request), resolve)
  })

  app.get<Params>(`${base}/comments`, commentConfig, async function listComments(request, reply) {
    permit(request, 'comments', 'core.comment.read')
    return sendList(
      request,
      reply,
      comments,
      await nested.listComments(of(request), pageOf(received(request))),
      resolve,
    )
  })

  app.get<Params>(`${base}/comments/:comment_id`, commentConfig, async function showComment(request, reply) {
    permit(request, 'comments', 'core.comment.read')
    return sendRecord(
      request,
      reply,
      comments,
      await nested.showComment(of(request), request.params.comment_id ?? ''),
      resolve,
    )
  })

  app.post<Params>(`${base}/comments`, commentConfig, async function addComment(request, reply) {
    permit(request, 'add_comment', 'core.comment.write')
    const body = textBody(received(request))
    const input = parseRequestBody(comments, request.headers['content-type'], body, resolve)
    const record = await nested.addComment(of(request), input.comments)
    return sendRecord(request, reply.code(201), comments, record, resolve)
  })
}

function registerImageScan(app: FastifyInstance, def: ResourceDefinition, deps: NestedRouteDeps) {
  const { nested, reads, resolve } = deps
  const permit = deps.permitFor(def)
  const parent = nestedParents.find((p) => p.resource === def.name) as NestedParent
  const config = { config: { resource: def.singular } }

  app.put<Params>(`/${def.name}/:id/image_scan`, config, async function imageScan(request, reply) {
    permit(request, 'image_scan', nestedScope(def.name, 'image_scan'))
    await nested.setImageScan(
      { parent, def, id: request.params.id },
      await scanUpload(received(request), deps.maxFileBytes),
    )
    // The answer is the invoice, as the answer to any other PUT of it.
    const spec = parseQuery(def, {}, resolve)
    return send(reply, await reads.show(def, request.params.id, spec, formatOf(request)))
  })

  app.get<Params>(
    `/${def.name}/:id/retrieve_image_scan`,
    config,
    async function retrieveImageScan(request, reply) {
      permit(request, 'retrieve_image_scan', nestedScope(def.name, 'retrieve_image_scan'))
      return sendFile(reply, await nested.imageScan({ parent, def, id: request.params.id }))
    },
  )
}

function received(request: FastifyRequest): Received {
  return {
    contentType: request.headers['content-type'] ?? '',
    body: request.body,
    query: (request.query ?? {}) as Record<string, string | undefined>,
  }
}

function formatOf(request: FastifyRequest): Format {
  return responseFormat(request.headers.accept)
}

function sendList(
  request: FastifyRequest,
  reply: FastifyReply,
  def: ResourceDefinition,
  records: ResourceRecord[],
  resolve: ResolveResource,
) {
  const format = formatOf(request)
  // As every list of the API: an empty XML answer is Coupa's 404 "No results match your search criteria."
  if (records.length === 0 && format === 'xml') return send(reply.code(404), noResultsXml())
  return send(reply, renderList(def, records, { returnObject: 'full' }, format, resolve))
}

function sendRecord(
  request: FastifyRequest,
  reply: FastifyReply,
  def: ResourceDefinition,
  record: ResourceRecord,
  resolve: ResolveResource,
) {
  return send(reply, renderRecord(def, record, { returnObject: 'full' }, formatOf(request), resolve))
}

function send(reply: FastifyReply, rendered: Answer) {
  return reply.type(rendered.contentType).send(rendered.body)
}

/**
 * A stored file, never shown inline: an attachment (RFC 6266) of a type from the allow-list, with
 * `nosniff` and a policy that runs nothing should a browser open it anyway.
 */
function sendFile(reply: FastifyReply, file: StoredFile) {
  return reply
    .header('content-disposition', contentDisposition(file.name))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .type(file.contentType)
    .send(file.bytes)
}
