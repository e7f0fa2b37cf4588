import type { ResourceDefinition } from '../definitions.ts'
import { currency, exportFields, timestamps } from './common-fields.ts'

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
export const requisitions: ResourceDefinition = {
  name: 'requisitions',
  singular: 'requisition-header',
  xmlRoot: 'requisition-header',
  xmlCollection: 'requisition-headers',
  category: 'transactional',
  scopes: {
    read: 'core.requisition.read',
    create: 'core.requisition.write',
    update: 'core.requisition.write',
  },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'status', type: 'string', writable: false, values: statuses },
    { kind: 'scalar', name: 'justification', type: 'string' },
    { kind: 'scalar', name: 'need_by_date', type: 'datetime' },
    { kind: 'scalar', name: 'submitted_at', type: 'datetime', writable: false },
    { kind: 'scalar', name: 'total', type: 'decimal', writable: false },
    ...exportFields,
    { kind: 'reference', name: 'requested_by', resource: 'users', fields: ['id', 'login'], required: true },
    currency,
    { kind: 'reference', name: 'department', resource: 'departments', fields: ['id', 'name'] },
    {
      kind: 'lines',
      name: 'requisition_lines',
      element: 'requisition-line',
      fields: [
        { kind: 'scalar', name: 'id', type: 'integer', writable: false },
        { kind: 'scalar', name: 'line_num', type: 'integer' },
        { kind: 'scalar', name: 'description', type: 'string', required: true },
        { kind: 'scalar', name: 'quantity', type: 'float' },
        { kind: 'scalar', name: 'unit_price', type: 'decimal', required: true },
        { kind: 'scalar', name: 'total', type: 'decimal', writable: false },
        { kind: 'reference', name: 'item', resource: 'items', fields: ['id', 'name'] },
        { kind: 'reference', name: 'supplier', resource: 'suppliers', fields: ['id', 'name'] },
        { kind: 'reference', name: 'account', resource: 'accounts', fields: ['id', 'code', 'name'] },
      ],
    },
  ],
  actions: [
    { name: 'submit_for_approval', scope: 'core.requisition.write', from: ['draft'], to: 'pending_approval' },
  ],
  initialStatus: 'draft',
}
