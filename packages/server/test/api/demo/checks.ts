/** Checks shared by the demo data tests: records against their resource definitions. */
import assert from 'node:assert/strict'
import { cents } from '../../../src/api/demo/random.ts'
import type { FieldDefinition, ScalarType } from '../../../src/catalogue/index.ts'
import { findResource } from '../../../src/catalogue/index.ts'

export type Row = Record<string, unknown>
/** Ids of every resource's records. */
export type IdIndex = Map<string, Set<number>>

export const BASE = Date.UTC(2026, 0, 1)
const TWO_YEARS_AND_SETUP = (730 + 92) * 86_400_000
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

const typeChecks: Record<ScalarType, (value: unknown) => boolean> = {
  integer: (v) => Number.isSafeInteger(v),
  float: (v) => typeof v === 'number' && Number.isFinite(v),
  decimal: (v) => typeof v === 'string' && /^-?\d+\.\d{2,6}$/.test(v),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  datetime: (v) => typeof v === 'string' && ISO.test(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
}

/**
 * Every key is a declared field, of its type, with an allowed value; references point at records.
 * A record's first list (its lines) has lines; other lists (tax lines, charges, allocations) may
 * be empty or left out.
 */
export function checkFields(
  fields: readonly FieldDefinition[],
  row: Row,
  ids: IdIndex,
  path: string,
  inLine = false,
): void {
  const firstList = inLine ? undefined : fields.find((field) => field.kind === 'lines')
  const declared = new Map(fields.map((field) => [field.name, field]))
  for (const key of Object.keys(row)) assert.ok(declared.has(key), `${path}: undeclared ${key}`)
  for (const field of fields) {
    const value = row[field.name]
    const where = `${path}.${field.name}`
    if (field.kind === 'lines') {
      if (field !== firstList && value === undefined) continue
      assert.ok(Array.isArray(value) && (value.length > 0 || field !== firstList), `${where} has no lines`)
      const lineIds = (value as Row[]).map((line) => line.id)
      assert.equal(new Set(lineIds).size, lineIds.length, `${where}: line ids repeat`)
      for (const [n, line] of (value as Row[]).entries())
        checkFields(field.fields, line, ids, `${where}[${n}]`, true)
    } else if (field.kind === 'reference') {
      if (value === null || value === undefined) continue
      assert.deepEqual(Object.keys(value as Row), ['id'], `${where} holds more than the id`)
      const id = (value as Row).id as number
      assert.ok(ids.get(field.resource)?.has(id), `${where} → ${field.resource} ${id}, which does not exist`)
    } else if (field.kind === 'references') {
      assert.ok(Array.isArray(value), `${where} is not a list of references`)
      for (const entry of value as Row[]) {
        assert.deepEqual(Object.keys(entry), ['id'], `${where} holds more than ids`)
        const id = entry.id as number
        assert.ok(
          ids.get(field.resource)?.has(id),
          `${where} → ${field.resource} ${id}, which does not exist`,
        )
      }
    } else {
      if (value === null || value === undefined) continue
      assert.ok(typeChecks[field.type](value), `${where}: ${JSON.stringify(value)} is not a ${field.type}`)
      if (field.values) assert.ok(field.values.includes(String(value)), `${where}: ${value} is not allowed`)
    }
  }
}

/** The checks of one record: fields, time order, totals. */
export function checkRecord(resource: string, row: Row, ids: IdIndex): void {
  const def = findResource(resource)
  assert.ok(def, resource)
  const path = `${resource} ${row.id}`
  checkFields(def.fields, row, ids, path)
  const created = Date.parse(String(row.created_at))
  const updated = Date.parse(String(row.updated_at))
  assert.ok(
    created <= updated && updated <= BASE,
    `${path}: created ${row.created_at} updated ${row.updated_at}`,
  )
  assert.ok(created >= BASE - TWO_YEARS_AND_SETUP, `${path}: created ${row.created_at} too early`)
  if (typeof row.last_exported_at === 'string') {
    assert.equal(row.exported, true, path)
    const exportedAt = Date.parse(row.last_exported_at)
    assert.ok(created <= exportedAt && exportedAt <= updated, `${path}: exported at ${row.last_exported_at}`)
  }
  checkTotals(resource, row, path)
}

/** `[line list, price field, quantity field, line total field]` per resource with lines. */
const LINES: Record<string, readonly [string, string, string | null, string]> = {
  invoices: ['invoice_lines', 'price', 'quantity', 'total'],
  purchase_orders: ['order_lines', 'price', 'quantity', 'total'],
  requisitions: ['requisition_lines', 'unit_price', 'quantity', 'total'],
  expense_reports: ['expense_lines', 'amount', null, 'amount'],
}

function checkTotals(resource: string, row: Row, path: string): void {
  const spec = LINES[resource]
  if (!spec) return
  const [list, price, quantity, total] = spec
  let sum = 0
  for (const line of row[list] as Row[]) {
    const q = quantity === null ? 1 : ((line[quantity] as number | null) ?? 1)
    assert.equal(cents(String(line[total])), cents(String(line[price])) * q, `${path} line ${line.id}`)
    sum += cents(String(line[total]))
  }
  if (resource === 'invoices') {
    assert.equal(cents(String(row.gross_total)), sum, `${path} gross_total`)
    assert.equal(
      cents(String(row.total_with_taxes)),
      sum + cents(String(row.tax_amount)),
      `${path} with taxes`,
    )
  } else {
    assert.equal(cents(String(row.total)), sum, `${path} total`)
  }
}

const APPROVABLE: Record<string, string> = {
  InvoiceHeader: 'invoices',
  RequisitionHeader: 'requisitions',
  ExpenseReport: 'expense_reports',
  OrderHeader: 'purchase_orders',
}

/** An approval names an existing record of its type. */
export function checkApprovable(row: Row, ids: IdIndex): void {
  const resource = APPROVABLE[String(row.approvable_type)]
  assert.ok(resource && ids.get(resource)?.has(row.approvable_id as number), `approval ${row.id} → nothing`)
}
