import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

/** Exchange rates (`/api/exchange_rates`): one rate from one currency to another, from a date on. */
export const exchangeRates: ResourceDefinition = {
  name: 'exchange_rates',
  singular: 'exchange-rate',
  xmlRoot: 'exchange-rate',
  xmlCollection: 'exchange-rates',
  category: 'master',
  scopes: { read: 'core.common.read', create: 'core.common.write', update: 'core.common.write' },
  fields: [
    ...timestamps,
    {
      kind: 'reference',
      name: 'from_currency',
      resource: 'currencies',
      fields: ['id', 'code'],
      required: true,
    },
    {
      kind: 'reference',
      name: 'to_currency',
      resource: 'currencies',
      fields: ['id', 'code'],
      required: true,
    },
    { kind: 'scalar', name: 'rate', type: 'decimal', required: true },
    { kind: 'scalar', name: 'rate_date', type: 'datetime', required: true },
  ],
}
