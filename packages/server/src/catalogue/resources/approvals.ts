import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

const statuses = ['pending', 'approved', 'rejected', 'on_hold'] as const
const write = 'core.approval.write'

/**
 * Approvals (`/api/approvals`): one approver's step in the approval chain of an invoice,
 * requisition, order or expense report (`approvable-type` + `approvable-id`).
 */
export const approvals: ResourceDefinition = {
  name: 'approvals',
  singular: 'approval',
  xmlRoot: 'approval',
  xmlCollection: 'approvals',
  category: 'transactional',
  scopes: { read: 'core.approval.read', create: write, update: write },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'status', type: 'string', writable: false, values: statuses },
    {
      kind: 'scalar',
      name: 'approvable_type',
      type: 'string',
      required: true,
      values: ['InvoiceHeader', 'RequisitionHeader', 'OrderHeader', 'ExpenseReport'],
    },
    { kind: 'scalar', name: 'approvable_id', type: 'integer', required: true },
    { kind: 'scalar', name: 'position', type: 'integer' },
    { kind: 'scalar', name: 'approval_date', type: 'datetime', writable: false },
    { kind: 'scalar', name: 'note', type: 'string' },
    {
      kind: 'reference',
      name: 'approver',
      resource: 'users',
      fields: ['id', 'login', 'email'],
      required: true,
    },
  ],
  actions: [
    { name: 'approve', scope: write, from: ['pending', 'on_hold'], to: 'approved' },
    { name: 'reject', scope: write, from: ['pending', 'on_hold'], to: 'rejected' },
    { name: 'hold', scope: write, from: ['pending'], to: 'on_hold' },
  ],
  initialStatus: 'pending',
}
