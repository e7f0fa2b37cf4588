import { resource } from '../declare.ts'
import { integer, text } from '../fields.ts'

/**
 * A comment on an invoice, purchase order or requisition (`/api/<parent>/:id/comments`,
 * coupa-api-facts.md §4.3). Coupa's Comments API page shows the body
 * `<comment><commentable-id type="integer">…</commentable-id><commentable-type>InvoiceHeader</commentable-type><comments>…</comments></comment>`:
 * the text is the element `comments`. Served by api/nested/, not by the generic engine (see
 * attachments.ts); the scopes are core.comment.read and core.comment.write (§2.2).
 */
export const comments = resource({
  name: 'comments',
  singular: 'comment',
  category: 'transactional',
  scopes: { read: 'core.comment.read', create: 'core.comment.write', update: 'core.comment.write' },
  fields: [
    text('comments', 'required'),
    text('commentable_type', 'readOnly'),
    integer('commentable_id', 'readOnly'),
  ],
})
