/**
 * The OpenAPI paths and schemas of the sub-resources under a record (attachments, comments, invoice
 * image scans: api/nested/), for the core document (openapi.ts), from the same catalogue the
 * routes read (catalogue/nested.ts).
 */
import {
  attachments,
  comments,
  type FieldDefinition,
  nestedParents,
  nestedScope,
  type ResourceDefinition,
} from '../catalogue/index.ts'
import { ACCEPTED_TYPES, IMAGE_SCAN_TYPES } from './nested/files.ts'
import { dasherize, isWritable } from './representation/index.ts'

type Schema = Record<string, unknown>

const TYPES: Record<string, Schema> = {
  integer: { type: 'integer' },
  string: { type: 'string' },
  datetime: { type: 'string', format: 'date-time' },
}

/** `Attachment` and `Comment`. */
export function nestedSchemas(): Record<string, Schema> {
  return { Attachment: objectOf(attachments.fields), Comment: objectOf(comments.fields) }
}

/** Every path under a record of `resources` that the API serves. */
export function nestedPaths(resources: readonly ResourceDefinition[]): Array<[string, Schema]> {
  const names = new Set(resources.map((def) => def.name))
  const paths = nestedParents
    .filter((parent) => names.has(parent.resource))
    .flatMap((parent) => parentPaths(parent.resource))
  if (names.has('invoices')) paths.push(...imageScanPaths())
  return paths
}

function parentPaths(parent: string): Array<[string, Schema]> {
  const base = `/api/${parent}/{id}`
  const attachment = { $ref: '#/components/schemas/Attachment' }
  const comment = { $ref: '#/components/schemas/Comment' }
  const op = (action: string, summary: string, rest: Schema) => operation(parent, action, summary, rest)
  const page = [
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 50 } },
  ]
  return [
    [
      `${base}/attachments`,
      {
        parameters: [idParameter('id')],
        get: op('attachments', `List the attachments of a ${parent} record`, {
          parameters: page,
          responses: answers({ type: 'array', items: attachment }),
        }),
        post: op('add_attachment', 'Add a file (multipart/form-data), a URL or a text', {
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: {
                    'attachment[file]': { type: 'string', contentMediaType: 'application/octet-stream' },
                    'attachment[type]': { type: 'string', enum: ['file', 'url', 'text'] },
                    'attachment[intent]': { type: 'string' },
                    'attachment[url]': { type: 'string' },
                    'attachment[text]': { type: 'string' },
                  },
                },
              },
              'application/json': { schema: attachment },
              'application/xml': { schema: { type: 'string', description: '<attachment>…</attachment>' } },
            },
          },
          responses: { '201': document(attachment, 'Created'), ...fileErrors() },
        }),
      },
    ],
    [
      `${base}/attachments/{attachment_id}`,
      {
        parameters: [idParameter('id'), idParameter('attachment_id')],
        get: op('attachments', 'Show an attachment', { responses: answers(attachment) }),
      },
    ],
    [
      `${base}/attachments/{attachment_id}/download`,
      {
        parameters: [idParameter('id'), idParameter('attachment_id')],
        get: op('attachments', "Download an attachment's file (its `file-url`)", {
          responses: { '200': file(ACCEPTED_TYPES), ...errorAnswers() },
        }),
      },
    ],
    [
      `${base}/comments`,
      {
        parameters: [idParameter('id')],
        get: op('comments', `List the comments of a ${parent} record`, {
          parameters: page,
          responses: answers({ type: 'array', items: comment }),
        }),
        post: op('add_comment', 'Add a comment', {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: comment },
              'application/xml': { schema: { type: 'string', description: '<comment>…</comment>' } },
            },
          },
          responses: { '201': document(comment, 'Created'), ...errorAnswers() },
        }),
      },
    ],
    [
      `${base}/comments/{comment_id}`,
      {
        parameters: [idParameter('id'), idParameter('comment_id')],
        get: op('comments', 'Show a comment', { responses: answers(comment) }),
      },
    ],
  ]
}

function imageScanPaths(): Array<[string, Schema]> {
  const scanTypes = [...IMAGE_SCAN_TYPES]
  return [
    [
      '/api/invoices/{id}/image_scan',
      {
        parameters: [idParameter('id')],
        put: operation('invoices', 'image_scan', "Set the invoice's image scan (a PDF or an image)", {
          parameters: [{ name: 'file_name', in: 'query', schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: {
                    'invoice[image_scan]': { type: 'string', contentMediaType: 'application/octet-stream' },
                  },
                },
              },
              ...Object.fromEntries(scanTypes.map((type) => [type, { schema: { type: 'string' } }])),
            },
          },
          responses: {
            '200': document({ $ref: '#/components/schemas/InvoiceHeader' }, 'The invoice'),
            ...fileErrors(),
          },
        }),
      },
    ],
    [
      '/api/invoices/{id}/retrieve_image_scan',
      {
        parameters: [idParameter('id')],
        get: operation('invoices', 'retrieve_image_scan', "The invoice's image scan; 404 when it has none", {
          responses: { '200': file(scanTypes), ...errorAnswers() },
        }),
      },
    ],
  ]
}

function operation(resource: string, action: string, summary: string, rest: Schema): Schema {
  return {
    operationId: `${resource}.${action}`,
    summary,
    tags: [resource],
    security: [{ oauth2: [nestedScope(resource, action)] }, { apiKey: [] }],
    'x-keyshift-permission': `${resource}#${action}`,
    ...rest,
  }
}

function objectOf(fields: readonly FieldDefinition[]): Schema {
  const properties = Object.fromEntries(
    fields.map((field) => {
      const type = field.kind === 'scalar' ? (TYPES[field.type] ?? { type: 'string' }) : { type: 'string' }
      return [dasherize(field.name), { ...type, ...(isWritable(field) ? {} : { readOnly: true }) }]
    }),
  )
  return { type: 'object', properties }
}

function idParameter(name: string): Schema {
  return { name, in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
}

function file(types: readonly string[]): Schema {
  return {
    description: 'The file, as an attachment (Content-Disposition), with X-Content-Type-Options: nosniff',
    content: Object.fromEntries(types.map((type) => [type, { schema: { type: 'string' } }])),
  }
}

function document(schema: Schema, description: string): Schema {
  return {
    description,
    content: { 'application/json': { schema }, 'application/xml': { schema: { type: 'string' } } },
  }
}

function answers(schema: Schema): Schema {
  return { '200': document(schema, 'OK'), ...errorAnswers() }
}

function errorAnswers(): Schema {
  const error = (description: string) => document({ $ref: '#/components/schemas/Errors' }, description)
  return {
    '400': error('A body or a query the API refuses, naming what is wrong'),
    '401': error('No credentials, or an invalid, expired or revoked token or key'),
    '403': error('The token lacks the scope (`WWW-Authenticate: Bearer error="insufficient_scope"`)'),
    '404': error('No such record, attachment or comment (or no image scan)'),
  }
}

function fileErrors(): Schema {
  const error = (description: string) => document({ $ref: '#/components/schemas/Errors' }, description)
  return {
    ...errorAnswers(),
    '413': error('The file is larger than the limit (16 MiB by default)'),
    '415': error('A type that is not accepted, or a file whose bytes are not its type'),
  }
}
