import { resource } from '../declare.ts'
import { integer, text } from '../fields.ts'

/**
 * An attachment of an invoice, purchase order or requisition
 * (`/api/<parent>/:id/attachments`, coupa-api-facts.md §4.3). Its elements follow Coupa's
 * Attachments API and Attachment File API pages: `type`, `intent`, `file`, `file-file-size`,
 * `file-url`, `url`, `text`, `linked-to`. Served by api/nested/, not by the generic engine: it is
 * not in the `resources` table (it has no `/api/attachments` collection of its own here), so its
 * scopes below are those of invoices only as placeholders; the parent's scopes apply
 * (catalogue/nested.ts).
 */
export const attachments = resource({
  name: 'attachments',
  singular: 'attachment',
  category: 'transactional',
  scopes: { read: 'core.invoice.read', create: 'core.invoice.create', update: 'core.invoice.write' },
  fields: [
    // AttachmentFile, AttachmentUrl or AttachmentText; a request may say `file`, `url` or `text`.
    text('type', 'required'),
    text('intent'),
    text('file', 'readOnly'),
    integer('file_file_size', 'readOnly'),
    text('file_content_type', 'readOnly'),
    text('file_url', 'readOnly'),
    text('url'),
    text('text'),
    text('linked_to'),
  ],
})
