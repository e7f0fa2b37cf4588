import { readWrite, resource } from '../declare.ts'
import { datetime, decimal, flag, float, integer, lines, oneOf, ref, text } from '../fields.ts'
import { account, currency, exportFields, item, lineBasics, paymentTerm } from './common-fields.ts'

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

const transmissionStatuses = ['not_sent', 'sent_via_email', 'sent_via_cxml', 'sent_manually'] as const

/**
 * Purchase orders (`/api/purchase_orders`, XML `<order-header>`). Orders are issued, cancelled,
 * closed and reopened through custom actions (`PUT /api/purchase_orders/:id/issue`).
 */
export const purchaseOrders = resource({
  name: 'purchase_orders',
  singular: 'order-header',
  xmlCollection: 'order-headers',
  category: 'transactional',
  scopes: readWrite('purchase_order'),
  fields: [
    text('po_number', 'required'),
    oneOf('status', statuses, 'readOnly'),
    integer('version', 'readOnly'),
    oneOf('transmission_status', transmissionStatuses, 'readOnly'),
    flag('acknowledged_flag'),
    decimal('total', 'readOnly'),
    ...exportFields,
    ref('supplier', 'suppliers', ['id', 'name', 'number'], 'required'),
    currency,
    paymentTerm,
    ref('requester', 'users', ['id', 'login']),
    ref('requisition_header', 'requisitions', ['id']),
    lines('order_lines', 'order-line', [
      ...lineBasics,
      float('quantity'),
      decimal('price', 'required'),
      decimal('total', 'readOnly'),
      text('uom_code'),
      datetime('need_by_date'),
      item,
      account,
    ]),
  ],
  actions: [
    { name: 'issue', from: ['draft', 'buyer_hold'], to: 'issued' },
    { name: 'cancel', from: ['draft', 'buyer_hold', 'issued'], to: 'cancelled' },
    { name: 'close', from: ['issued'], to: 'closed' },
    { name: 'reopen', from: ['closed'], to: 'issued' },
  ],
  initialStatus: 'draft',
})
