/**
 * What the requests under a record carry, read from their content type, body and query: an
 * attachment in any of its forms, an image scan, a page. No HTTP framework here: the routes hand
 * over what Fastify parsed (a string for JSON and XML, bytes for anything else).
 */
import { attachments } from '../../catalogue/index.ts'
import { ApiError } from '../errors.ts'
import { parseRequestBody, type ResolveResource } from '../representation/index.ts'
import { tooLarge, type UploadedFile } from './files.ts'
import { readMultipart } from './multipart.ts'
import type { AttachmentInput, Page } from './service.ts'

/** A request as the routes received it. */
export interface Received {
  /** The Content-Type header, or ''. */
  contentType: string
  /** A string (JSON, XML), bytes (anything else), or undefined (no body). */
  body: unknown
  query: Readonly<Record<string, string | undefined>>
}

/** An attachment from a multipart form (`attachment[file]`, `attachment[type]`, …) or a JSON or XML body. */
export async function attachmentInput(
  request: Received,
  resolve: ResolveResource,
  maxBytes: number,
): Promise<AttachmentInput> {
  const contentType = request.contentType
  if (isMultipart(contentType)) {
    const form = await readMultipart(contentType, bodyBytes(request))
    const field = (name: string) => form.text.get(`attachment[${name}]`) ?? form.text.get(name)
    const file = form.files.get('attachment[file]') ?? form.files.get('file')
    if (file && file.bytes.length > maxBytes) throw tooLarge(maxBytes)
    return {
      type: field('type'),
      intent: field('intent'),
      url: field('url'),
      text: field('text'),
      linked_to: field('linked_to'),
      file,
    }
  }
  const input = parseRequestBody(attachments, contentType, textBody(request), resolve)
  const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string) : undefined)
  return {
    type: text('type'),
    intent: text('intent'),
    url: text('url'),
    text: text('text'),
    linked_to: text('linked_to'),
  }
}

/** The scan of `PUT …/image_scan`: a multipart form's file (`invoice[image_scan]`, `image_scan` or `file`), or the body itself. */
export async function scanUpload(request: Received, maxBytes: number): Promise<UploadedFile> {
  const contentType = request.contentType
  const bytes = bodyBytes(request)
  if (isMultipart(contentType)) {
    const { files } = await readMultipart(contentType, bytes)
    const file = files.get('invoice[image_scan]') ?? files.get('image_scan') ?? files.get('file')
    if (!file)
      throw new ApiError(400, ['send the scan as the form field invoice[image_scan] (a PDF or an image)'])
    if (file.bytes.length > maxBytes) throw tooLarge(maxBytes)
    return file
  }
  const name = String(request.query.file_name ?? 'image_scan')
  return { name, contentType, bytes }
}

function isMultipart(contentType: string): boolean {
  return /^multipart\/form-data\s*(;|$)/i.test(contentType)
}

function bodyBytes(request: Received): Buffer {
  if (Buffer.isBuffer(request.body)) return request.body
  if (typeof request.body === 'string') return Buffer.from(request.body)
  throw new ApiError(400, ['the request has no body'])
}

/** A JSON or XML body as text; any other type is a 415 in our words. */
export function textBody(request: Received): string {
  if (typeof request.body === 'string') return request.body
  if (request.body === undefined) throw new ApiError(400, ['the request has no body'])
  throw new ApiError(415, ['send application/json, application/xml or, for a file, multipart/form-data'])
}

export function pageOf(request: Received): Page {
  const query = request.query
  const number = (name: string, fallback: number) => {
    const value = query[name]
    if (value === undefined) return fallback
    if (!/^\d{1,9}$/.test(value))
      throw new ApiError(400, [`${name} must be a whole number, not ${JSON.stringify(value.slice(0, 20))}`])
    return Number(value)
  }
  // At most 50 records per GET (coupa-api-facts.md §4.2).
  return { offset: number('offset', 0), limit: Math.min(number('limit', 50), 50) }
}
