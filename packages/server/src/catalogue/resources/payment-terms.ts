import { readWrite, resource } from '../declare.ts'
import { decimal, flag, integer, text } from '../fields.ts'

/** Payment terms (`/api/payment_terms`): `Net 30`, `2/10 Net 30`; referenced by suppliers and invoices. */
export const paymentTerms = resource({
  name: 'payment_terms',
  singular: 'payment-term',
  category: 'master',
  scopes: readWrite('common'),
  fields: [
    text('code', 'required', 'unique'),
    text('description'),
    integer('days_for_net_payment'),
    integer('days_for_discount_payment'),
    decimal('discount_rate'),
    flag('active'),
  ],
})
