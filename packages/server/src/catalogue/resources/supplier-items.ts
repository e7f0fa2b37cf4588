import { resource } from '../declare.ts'
import { decimal, flag, integer, oneOf, ref, text } from '../fields.ts'
import { currency, item, supplier } from './common-fields.ts'

/**
 * Supplier items (`/api/supplier_items`, facts §4.3): an item as one supplier sells it, at its
 * price, part number and lead time, possibly under a contract.
 */
export const supplierItems = resource({
  name: 'supplier_items',
  singular: 'supplier-item',
  category: 'master',
  // facts §2.2: "items index/show (also under core.catalog.read); supplier_items" are read with
  // core.item.read; items are written with core.item.write, so their supplier prices are too.
  scopes: { read: 'core.item.read', create: 'core.item.write', update: 'core.item.write' },
  fields: [
    { ...item, required: true },
    { ...supplier, required: true },
    text('supplier_part_num'),
    text('supplier_aux_part_num'),
    decimal('price', 'required'),
    currency,
    integer('lead_time'),
    oneOf('availability', ['available', 'limited', 'backordered', 'discontinued']),
    flag('preferred'),
    ref('contract', 'contracts', ['id', 'number', 'name']),
  ],
})
