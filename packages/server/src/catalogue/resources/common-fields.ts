/** Fields and field groups that Coupa shows the same way on several resources. */
import type { FieldDefinition } from '../definitions.ts'
import { datetime, decimal, flag, integer, lines, ref, text } from '../fields.ts'

/** Set by the integration that exports the record to the ERP, never by a client. */
export const exportFields: readonly FieldDefinition[] = [
  flag('exported', 'readOnly'),
  datetime('last_exported_at', 'readOnly'),
]

/** The fields every line starts with: its id, its number on the document and what it is for. */
export const lineBasics: readonly FieldDefinition[] = [
  integer('id', 'readOnly'),
  integer('line_num'),
  text('description', 'required'),
]

/** `segment_1` … `segment_20`: an account's chart-of-accounts string, XML `segment-1` (facts §6). */
export const segmentNames: readonly string[] = Array.from({ length: 20 }, (_, i) => `segment_${i + 1}`)

// The master data records reference, each shown as Coupa nests it.
export const currency = ref('currency', 'currencies', ['id', 'code'])
export const paymentTerm = ref('payment_term', 'payment_terms', ['id', 'code'])
export const department = ref('department', 'departments', ['id', 'name'])
export const item = ref('item', 'items', ['id', 'name'])
export const supplier = ref('supplier', 'suppliers', ['id', 'name', 'number'])
/**
 * A line's account with its segments and type, so that an exporter reading `account/segment-1`
 * finds it there (facts §6 invoice sample: `<account><code>…</code><segment-1>SF</segment-1>`).
 */
export const account = ref('account', 'accounts', ['id', 'code', 'name', ...segmentNames, 'account_type'])

/** A line's cost split over several accounts (Coupa's `account-allocations`). */
export const accountAllocations = lines('account_allocations', 'account-allocation', [
  integer('id', 'readOnly'),
  account,
  decimal('amount'),
  decimal('pct'),
])

/** The fields an address shows where a record names it (`bill-to-address`, `ship-to-address`). */
export const addressShown: readonly string[] = [
  'id',
  'name',
  'location_code',
  'street1',
  'street2',
  'city',
  'state',
  'postal_code',
  'country',
]

/** The fields a remit-to address shows where an invoice names it (`remit-to-address`). */
export const remitToShown: readonly string[] = [
  'id',
  'remit_to_code',
  ...addressShown.filter((name) => name !== 'id' && name !== 'location_code'),
]

/** A user as Coupa nests one on documents: `<created-by><id>1</id><login>coupasupport</login>` (facts §6). */
export function userRef(name: string, modifier?: 'readOnly'): FieldDefinition {
  return modifier ? ref(name, 'users', ['id', 'login'], modifier) : ref(name, 'users', ['id', 'login'])
}
