/**
 * The demo instance's custom fields (docs/CUSTOM-FIELDS.md), defined once and filled on the demo
 * records in a pass of their own after the data set is seeded: the ERP keys integrations carry.
 */

import type { Store, StoredRecord } from '../../store/store.ts'
import type { CustomFields, NewCustomFieldInput } from '../custom-fields.ts'
import { lookupStems } from './words.ts'

/** The purchase orders' lookup takes the values of the demo's Cost Center lookup (lookup_values). */
const COST_CENTERS = lookupStems.find((stem) => stem.lookup === 'Cost Center')?.values ?? []

export const DEMO_CUSTOM_FIELDS: readonly NewCustomFieldInput[] = [
  { resource: 'suppliers', name: 'erp-vendor-id', label: 'ERP Vendor ID', type: 'string' },
  { resource: 'invoices', name: 'erp-invoice-id', label: 'ERP Invoice ID', type: 'string' },
  {
    resource: 'purchase_orders',
    name: 'cost-center',
    label: 'Cost Center',
    type: 'lookup',
    values: [...COST_CENTERS],
  },
]

/** The values of a demo record, by resource: deterministic, from its id. */
const VALUES: Readonly<Record<string, (record: Record<string, unknown>) => Record<string, unknown> | null>> =
  {
    suppliers: (record) => ({ erp_vendor_id: `V-${10_000 + Number(record.id)}` }),
    // An invoice gets its ERP id when it is exported.
    invoices: (record) =>
      record.exported === true ? { erp_invoice_id: `ERP-INV-${200_000 + Number(record.id)}` } : null,
    purchase_orders: (record) => ({ cost_center: COST_CENTERS[Number(record.id) % COST_CENTERS.length] }),
  }

const PAGE = 500

/**
 * Defines the demo custom fields and fills them on the demo records, unless the instance already
 * has custom fields (seeded before, or defined by someone). Resolves whether it did.
 */
export async function seedDemoCustomFields(customFields: CustomFields, store: Store): Promise<boolean> {
  if ((await customFields.list()).length > 0) return false
  for (const field of DEMO_CUSTOM_FIELDS) await customFields.create(field)
  for (const [resource, valuesOf] of Object.entries(VALUES)) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await store.queryRecords(resource, {
        conditions: [],
        orderBy: 'id',
        dir: 'asc',
        offset,
        limit: PAGE,
      })
      for (const stored of page) await fill(store, resource, stored, valuesOf)
      if (page.length < PAGE) break
    }
  }
  return true
}

async function fill(
  store: Store,
  resource: string,
  stored: StoredRecord,
  valuesOf: (record: Record<string, unknown>) => Record<string, unknown> | null,
): Promise<void> {
  const record = JSON.parse(stored.data) as Record<string, unknown>
  const values = valuesOf(record)
  if (!values) return
  // The record keeps its update time: the values are part of the data set, not a change.
  await store.updateRecord(resource, {
    ...stored,
    data: JSON.stringify({ ...record, custom_fields: values }),
  })
}
