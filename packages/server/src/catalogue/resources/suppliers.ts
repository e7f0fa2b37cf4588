import { readWrite, resource } from '../declare.ts'
import { oneOf, ref, text } from '../fields.ts'
import { addressShown, paymentTerm } from './common-fields.ts'

/**
 * Suppliers (`/api/suppliers`). Coupa's own create example (facts §6, MIRROR 0081) passes as it is,
 * and a supplier is deactivated with `PUT /api/suppliers/83` `<supplier><status>inactive</status>`:
 * its remit-to addresses are `/api/suppliers/:id/addresses` (facts §4.3). Unlike documents, whose
 * status only actions move, a supplier's status is written directly; one created without a status
 * is a draft ("Supplier Create - Draft and Basic", MIRROR 0081).
 */
export const suppliers = resource({
  name: 'suppliers',
  singular: 'supplier',
  category: 'master',
  scopes: readWrite('supplier'),
  fields: [
    text('name', 'required', 'unique'),
    text('display_name'),
    text('number', 'unique'),
    { ...oneOf('status', ['active', 'inactive', 'draft']), writable: true },
    oneOf('po_method', ['cxml', 'xml', 'email', 'prompt', 'mark_as_sent', 'buy_online']),
    text('po_email'),
    text('account_number'),
    text('duns'),
    text('tax_id'),
    oneOf('invoice_matching_level', ['2-way', '3-way', '3-way-direct', 'none']),
    oneOf('payment_method', ['invoice', 'pcard', 'virtual_card', 'ach', 'check', 'wire']),
    text('shipping_term'),
    text('tax_code'),
    paymentTerm,
    ref('primary_address', 'addresses', addressShown),
  ],
  initialStatus: 'draft',
})
