import { readWrite, resource } from '../declare.ts'
import { datetime, decimal, flag, float, integer, lines, oneOf, ref, text } from '../fields.ts'
import {
  account,
  accountAllocations,
  addressShown,
  currency,
  exportFields,
  item,
  lineBasics,
  paymentTerm,
  userRef,
} from './common-fields.ts'

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
    text('shipping_term'),
    userRef('requester'),
    userRef('ship_to_user'),
    ref('ship_to_address', 'addresses', addressShown),
    ref('requisition_header', 'requisitions', ['id']),
    // Set by the engine from the caller (service.ts), never by a client (facts §6 PO sample).
    userRef('created_by', 'readOnly'),
    userRef('updated_by', 'readOnly'),
    lines('order_lines', 'order-line', [
      ...lineBasics,
      float('quantity'),
      decimal('price', 'required'),
      decimal('total', 'readOnly'),
      text('uom_code'),
      datetime('need_by_date'),
      item,
      account,
      accountAllocations,
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
