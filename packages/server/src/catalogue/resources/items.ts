import { readWrite, resource } from '../declare.ts'
import { decimal, flag, oneOf, text } from '../fields.ts'
import { currency } from './common-fields.ts'

/** Items (`/api/items`): catalogue goods and services, ordered on requisition and order lines. */
export const items = resource({
  name: 'items',
  singular: 'item',
  category: 'master',
  scopes: readWrite('item'),
  fields: [
    text('name', 'required'),
    text('description', 'required'),
    text('item_number'),
    oneOf('uom_code', ['EA', 'BX', 'HR', 'KG', 'LB', 'PK']),
    decimal('price'),
    currency,
    flag('active'),
  ],
})
