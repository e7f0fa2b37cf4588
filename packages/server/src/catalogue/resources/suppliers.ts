import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

export const suppliers: ResourceDefinition = {
  name: 'suppliers',
  singular: 'supplier',
  xmlRoot: 'supplier',
  xmlCollection: 'suppliers',
  category: 'master',
  scopes: { read: 'core.supplier.read', create: 'core.supplier.write', update: 'core.supplier.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'name', type: 'string', required: true },
    { kind: 'scalar', name: 'display_name', type: 'string' },
    { kind: 'scalar', name: 'number', type: 'string' },
    { kind: 'scalar', name: 'status', type: 'string', values: ['active', 'inactive', 'draft'] },
    {
      kind: 'scalar',
      name: 'po_method',
      type: 'string',
      values: ['email', 'cxml', 'xml', 'prompt', 'mark_as_sent'],
    },
    { kind: 'scalar', name: 'po_email', type: 'string' },
    { kind: 'scalar', name: 'account_number', type: 'string' },
    { kind: 'scalar', name: 'tax_id', type: 'string' },
    {
      kind: 'scalar',
      name: 'invoice_matching_level',
      type: 'string',
      values: ['2-way', '3-way', '3-way-direct'],
    },
    { kind: 'reference', name: 'payment_term', resource: 'payment_terms', fields: ['id', 'code'] },
  ],
  initialStatus: 'active',
}
