import { readWrite, resource } from '../declare.ts'
import { text } from '../fields.ts'

/**
 * Countries (`/api/countries`): what addresses name as `<country><code>US</code></country>`
 * (facts §6 PO sample). Set-up data under `core.common.*` (facts §2.2).
 */
export const countries = resource({
  name: 'countries',
  singular: 'country',
  category: 'master',
  scopes: readWrite('common'),
  fields: [text('code', 'required'), text('name', 'required')],
})
