import { readWrite, resource } from '../declare.ts'
import { text } from '../fields.ts'
import { addressFields } from './addresses.ts'
import { supplier } from './common-fields.ts'

/**
 * Remit-to addresses (`/api/remit_to_addresses`, also `/api/suppliers/:id/addresses`, facts §4.3):
 * where a supplier is paid; invoices name one as `remit-to-address`. Scope `core.supplier.*`
 * (facts §2.2: "remit_to_addresses index/show" read, "create/update/destroy" write).
 */
export const remitToAddresses = resource({
  name: 'remit_to_addresses',
  singular: 'remit-to-address',
  category: 'master',
  scopes: readWrite('supplier'),
  fields: [text('remit_to_code'), ...addressFields, { ...supplier, required: true }],
})
