import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

/** Payment terms (`/api/payment_terms`): `Net 30`, `2/10 Net 30`; referenced by suppliers and invoices. */
export const paymentTerms: ResourceDefinition = {
  name: 'payment_terms',
  singular: 'payment-term',
  xmlRoot: 'payment-term',
  xmlCollection: 'payment-terms',
  category: 'master',
  scopes: { read: 'core.common.read', create: 'core.common.write', update: 'core.common.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'code', type: 'string', required: true },
    { kind: 'scalar', name: 'description', type: 'string' },
    { kind: 'scalar', name: 'days_for_net_payment', type: 'integer' },
    { kind: 'scalar', name: 'days_for_discount_payment', type: 'integer' },
    { kind: 'scalar', name: 'discount_rate', type: 'decimal' },
    { kind: 'scalar', name: 'active', type: 'boolean' },
  ],
}
