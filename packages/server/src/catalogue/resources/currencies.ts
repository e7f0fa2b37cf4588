import { readWrite, resource } from '../declare.ts'
import { flag, integer, text } from '../fields.ts'

/**
 * Currencies (`/api/currencies`): referenced by invoices, orders, users and exchange rates. The
 * demo data holds every ISO 4217 currency (api/demo/currency-table.ts); `decimals` is its precision.
 */
export const currencies = resource({
  name: 'currencies',
  singular: 'currency',
  category: 'master',
  scopes: readWrite('common'),
  fields: [text('code', 'required', 'unique'), text('name'), integer('decimals'), flag('active')],
})
