import { readWrite, resource } from '../declare.ts'
import { oneOf, text } from '../fields.ts'
import { paymentTerm } from './common-fields.ts'

export const suppliers = resource({
  name: 'suppliers',
  singular: 'supplier',
  category: 'master',
  scopes: readWrite('supplier'),
  fields: [
    text('name', 'required'),
    text('display_name'),
    text('number'),
    oneOf('status', ['active', 'inactive', 'draft']),
    oneOf('po_method', ['email', 'cxml', 'xml', 'prompt', 'mark_as_sent']),
    text('po_email'),
    text('account_number'),
    text('tax_id'),
    oneOf('invoice_matching_level', ['2-way', '3-way', '3-way-direct']),
    paymentTerm,
  ],
  initialStatus: 'active',
})
