/**
 * The sub-resources under a record: attachments and comments of invoices, purchase orders and
 * requisitions, and the image scan of an invoice (coupa-api-facts.md §4.3, §4.4). Their
 * permissions are named after the parent (`invoices#attachments`), as the usage counting names
 * the requests (requests.ts), and each takes the scope §2.2 gives it: attachments are read with
 * the parent's read scope and created with `core.invoice.create` (invoices) or the parent's write
 * scope; comments take `core.comment.read` / `core.comment.write`; `image_scan` takes
 * `core.invoice.write` and `retrieve_image_scan` `core.invoice.read`.
 */
import type { ScopeName } from './scopes.ts'

/** A parent of attachments and comments, and Coupa's `commentable-type` of its records. */
export interface NestedParent {
  resource: 'invoices' | 'purchase_orders' | 'requisitions'
  recordType: string
  read: ScopeName
  /** The scope that adds an attachment. */
  attach: ScopeName
}

export const nestedParents: readonly NestedParent[] = Object.freeze([
  {
    resource: 'invoices',
    recordType: 'InvoiceHeader',
    read: 'core.invoice.read',
    attach: 'core.invoice.create',
  },
  {
    resource: 'purchase_orders',
    recordType: 'OrderHeader',
    read: 'core.purchase_order.read',
    attach: 'core.purchase_order.write',
  },
  {
    resource: 'requisitions',
    recordType: 'RequisitionHeader',
    read: 'core.requisition.read',
    attach: 'core.requisition.write',
  },
])

/**
 * Collections of another resource served under a record, by `<parent>/<segment>`: a supplier's
 * remit-to addresses at `/api/suppliers/:id/addresses` (facts §4.3) are `remit_to_addresses`
 * index, show, create and update (api/supplier-addresses/routes.ts).
 */
export const nestedCollections: Readonly<Record<string, string>> = Object.freeze({
  'suppliers/addresses': 'remit_to_addresses',
})

/** The action of `METHOD /api/<parent>/:id/<segment>…`, by method and segment. */
export const nestedActions: Readonly<Record<string, string>> = Object.freeze({
  'GET attachments': 'attachments',
  'POST attachments': 'add_attachment',
  'GET comments': 'comments',
  'POST comments': 'add_comment',
  'PUT image_scan': 'image_scan',
  'GET retrieve_image_scan': 'retrieve_image_scan',
})

/** One permission of a sub-resource: `invoices#add_attachment` needs `core.invoice.create`. */
export interface NestedPermission {
  resource: string
  action: string
  scope: ScopeName
}

/** Every permission of the sub-resources. */
export const nestedPermissions: readonly NestedPermission[] = Object.freeze([
  ...nestedParents.flatMap(({ resource, read, attach }): NestedPermission[] => [
    { resource, action: 'attachments', scope: read },
    { resource, action: 'add_attachment', scope: attach },
    { resource, action: 'comments', scope: 'core.comment.read' },
    { resource, action: 'add_comment', scope: 'core.comment.write' },
  ]),
  { resource: 'invoices', action: 'image_scan', scope: 'core.invoice.write' },
  { resource: 'invoices', action: 'retrieve_image_scan', scope: 'core.invoice.read' },
])

/** The scope of a sub-resource permission (throws for one not declared above: a programming error). */
export function nestedScope(resource: string, action: string): ScopeName {
  const found = nestedPermissions.find((p) => p.resource === resource && p.action === action)
  if (!found) throw new Error(`no nested permission ${resource}#${action}`)
  return found.scope
}
