import { readWrite, resource } from '../declare.ts'
import { flag, integer, text } from '../fields.ts'

/** Currencies (`/api/currencies`): referenced by invoices, orders, users and exchange rates. */
export const currencies = resource({
  name: 'currencies',
  singular: 'currency',
  category: 'master',
  scopes: readWrite('common'),
  fields: [text('code', 'required'), text('name'), integer('decimals'), flag('active')],
})
