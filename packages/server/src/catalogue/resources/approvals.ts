import { readWrite, resource } from '../declare.ts'
import { datetime, integer, oneOf, ref, text } from '../fields.ts'

const statuses = ['pending', 'approved', 'rejected', 'on_hold'] as const
const approvableTypes = ['InvoiceHeader', 'RequisitionHeader', 'OrderHeader', 'ExpenseReport'] as const

/**
 * Approvals (`/api/approvals`): one approver's step in the approval chain of an invoice,
 * requisition, order or expense report (`approvable-type` + `approvable-id`).
 */
export const approvals = resource({
  name: 'approvals',
  singular: 'approval',
  category: 'transactional',
  scopes: readWrite('approval'),
  fields: [
    oneOf('status', statuses, 'readOnly'),
    oneOf('approvable_type', approvableTypes, 'required'),
    integer('approvable_id', 'required'),
    integer('position'),
    datetime('approval_date', 'readOnly'),
    text('note'),
    ref('approver', 'users', ['id', 'login', 'email'], 'required'),
  ],
  actions: [
    { name: 'approve', from: ['pending', 'on_hold'], to: 'approved' },
    { name: 'reject', from: ['pending', 'on_hold'], to: 'rejected' },
    { name: 'hold', from: ['pending'], to: 'on_hold' },
  ],
  initialStatus: 'pending',
})
