import type { ResourceDefinition } from '../definitions.ts'
import { currency, exportFields, timestamps } from './common-fields.ts'

const statuses = [
  'draft',
  'buyer_hold',
  'currency_hold',
  'supplier_window_hold',
  'issued',
  'soft_closed',
  'closed',
  'cancelled',
] as const

const write = 'core.purchase_order.write'

/**
 * Purchase orders (`/api/purchase_orders`, XML `<order-header>`). Orders are issued, cancelled,
 * closed and reopened through custom actions (`PUT /api/purchase_orders/:id/issue`).
 */
export const purchaseOrders: ResourceDefinition = {
  name: 'purchase_orders',
  singular: 'order-header',
  xmlRoot: 'order-header',
  xmlCollection: 'order-headers',
  category: 'transactional',
  scopes: { read: 'core.purchase_order.read', create: write, update: write },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'po_number', type: 'string', required: true },
    { kind: 'scalar', name: 'status', type: 'string', writable: false, values: statuses },
    { kind: 'scalar', name: 'version', type: 'integer', writable: false },
    {
      kind: 'scalar',
      name: 'transmission_status',
      type: 'string',
      writable: false,
      values: ['not_sent', 'sent_via_email', 'sent_via_cxml', 'sent_manually'],
    },
    { kind: 'scalar', name: 'acknowledged_flag', type: 'boolean' },
    { kind: 'scalar', name: 'total', type: 'decimal', writable: false },
    ...exportFields,
    {
      kind: 'reference',
      name: 'supplier',
      resource: 'suppliers',
      fields: ['id', 'name', 'number'],
      required: true,
    },
    currency,
    { kind: 'reference', name: 'payment_term', resource: 'payment_terms', fields: ['id', 'code'] },
    { kind: 'reference', name: 'requester', resource: 'users', fields: ['id', 'login'] },
    { kind: 'reference', name: 'requisition_header', resource: 'requisitions', fields: ['id'] },
    {
      kind: 'lines',
      name: 'order_lines',
      element: 'order-line',
      fields: [
        { kind: 'scalar', name: 'id', type: 'integer', writable: false },
        { kind: 'scalar', name: 'line_num', type: 'integer' },
        { kind: 'scalar', name: 'description', type: 'string', required: true },
        { kind: 'scalar', name: 'quantity', type: 'float' },
        { kind: 'scalar', name: 'price', type: 'decimal', required: true },
        { kind: 'scalar', name: 'total', type: 'decimal', writable: false },
        { kind: 'scalar', name: 'uom_code', type: 'string' },
        { kind: 'scalar', name: 'need_by_date', type: 'datetime' },
        { kind: 'reference', name: 'item', resource: 'items', fields: ['id', 'name'] },
        { kind: 'reference', name: 'account', resource: 'accounts', fields: ['id', 'code', 'name'] },
      ],
    },
  ],
  actions: [
    { name: 'issue', scope: write, from: ['draft', 'buyer_hold'], to: 'issued' },
    { name: 'cancel', scope: write, from: ['draft', 'buyer_hold', 'issued'], to: 'cancelled' },
    { name: 'close', scope: write, from: ['issued'], to: 'closed' },
    { name: 'reopen', scope: write, from: ['closed'], to: 'issued' },
  ],
  initialStatus: 'draft',
}
