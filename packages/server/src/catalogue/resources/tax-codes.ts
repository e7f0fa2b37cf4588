import { readWrite, resource } from '../declare.ts'
import { decimal, flag, ref, text } from '../fields.ts'

/**
 * Tax codes (`/api/tax_codes`): what an invoice's tax lines name (`<tax-code><code>VAT20</code>`).
 * Set-up data under `core.common.*` (facts §2.2: "tax_codes").
 */
export const taxCodes = resource({
  name: 'tax_codes',
  singular: 'tax-code',
  category: 'master',
  scopes: readWrite('common'),
  fields: [
    text('code', 'required'),
    text('description'),
    decimal('percentage'),
    ref('country', 'countries', ['id', 'code']),
    flag('active'),
  ],
})
