import type { ResourceDefinition } from '../definitions.ts'
import { timestamps } from './common-fields.ts'

/** Currencies (`/api/currencies`): referenced by invoices, orders, users and exchange rates. */
export const currencies: ResourceDefinition = {
  name: 'currencies',
  singular: 'currency',
  xmlRoot: 'currency',
  xmlCollection: 'currencies',
  category: 'master',
  scopes: { read: 'core.common.read', create: 'core.common.write', update: 'core.common.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'code', type: 'string', required: true },
    { kind: 'scalar', name: 'name', type: 'string' },
    { kind: 'scalar', name: 'decimals', type: 'integer' },
    { kind: 'scalar', name: 'active', type: 'boolean' },
  ],
}
