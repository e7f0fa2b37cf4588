/** Fields and field groups that Coupa shows the same way on several resources. */
import type { FieldDefinition } from '../definitions.ts'
import { datetime, flag, integer, ref, text } from '../fields.ts'

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

// The master data records reference, each shown as Coupa nests it.
export const currency = ref('currency', 'currencies', ['id', 'code'])
export const paymentTerm = ref('payment_term', 'payment_terms', ['id', 'code'])
export const department = ref('department', 'departments', ['id', 'name'])
export const item = ref('item', 'items', ['id', 'name'])
export const account = ref('account', 'accounts', ['id', 'code', 'name'])
