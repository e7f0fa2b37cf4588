import { readWrite, resource } from '../declare.ts'
import { datetime, decimal, float, lines, oneOf, ref, text } from '../fields.ts'
import {
  account,
  accountAllocations,
  addressShown,
  currency,
  department,
  exportFields,
  item,
  lineBasics,
} from './common-fields.ts'

const statuses = [
  'draft',
  'pending_buyer_action',
  'pending_approval',
  'approved',
  'ordered',
  'withdrawn',
  'abandoned',
] as const

/** Requisitions (`/api/requisitions`, XML `<requisition-header>`): requests that become orders. */
export const requisitions = resource({
  name: 'requisitions',
  singular: 'requisition-header',
  xmlCollection: 'requisition-headers',
  category: 'transactional',
  scopes: readWrite('requisition'),
  fields: [
    oneOf('status', statuses, 'readOnly'),
    text('justification'),
    datetime('need_by_date'),
    datetime('submitted_at', 'readOnly'),
    decimal('total', 'readOnly'),
    ...exportFields,
    ref('requested_by', 'users', ['id', 'login'], 'required'),
    currency,
    department,
    ref('ship_to_address', 'addresses', addressShown),
    lines('requisition_lines', 'requisition-line', [
      ...lineBasics,
      float('quantity'),
      decimal('unit_price', 'required'),
      decimal('total', 'readOnly'),
      item,
      ref('supplier', 'suppliers', ['id', 'name']),
      account,
      accountAllocations,
    ]),
  ],
  actions: [{ name: 'submit_for_approval', from: ['draft'], to: 'pending_approval' }],
  initialStatus: 'draft',
})
