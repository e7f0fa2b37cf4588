import type { ResourceDefinition } from '../definitions.ts'
import { currency, timestamps } from './common-fields.ts'

/** Items (`/api/items`): catalogue goods and services, ordered on requisition and order lines. */
export const items: ResourceDefinition = {
  name: 'items',
  singular: 'item',
  xmlRoot: 'item',
  xmlCollection: 'items',
  category: 'master',
  scopes: { read: 'core.item.read', create: 'core.item.write', update: 'core.item.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'name', type: 'string', required: true },
    { kind: 'scalar', name: 'description', type: 'string', required: true },
    { kind: 'scalar', name: 'item_number', type: 'string' },
    { kind: 'scalar', name: 'uom_code', type: 'string', values: ['EA', 'BX', 'HR', 'KG', 'LB', 'PK'] },
    { kind: 'scalar', name: 'price', type: 'decimal' },
    currency,
    { kind: 'scalar', name: 'active', type: 'boolean' },
  ],
}
