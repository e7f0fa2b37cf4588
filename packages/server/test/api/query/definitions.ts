/** Two resources for the query tests: an invoice-like resource and the supplier it references. */
import assert from 'node:assert/strict'
import {
  type Filter,
  type ParseQueryOptions,
  parseQuery,
  QueryError,
  type QueryParams,
  type QuerySpec,
} from '../../../src/api/query/index.ts'
import type { ResourceDefinition } from '../../../src/catalogue/index.ts'

export const suppliers: ResourceDefinition = {
  name: 'suppliers',
  singular: 'supplier',
  xmlRoot: 'supplier',
  xmlCollection: 'suppliers',
  category: 'master',
  scopes: { read: 'core.supplier.read', create: 'core.supplier.write', update: 'core.supplier.write' },
  fields: [
    { kind: 'scalar', name: 'id', type: 'integer', writable: false },
    { kind: 'scalar', name: 'name', type: 'string' },
    { kind: 'scalar', name: 'number', type: 'string' },
    { kind: 'scalar', name: 'status', type: 'string', values: ['active', 'inactive'] },
    { kind: 'scalar', name: 'on_hold', type: 'boolean' },
    { kind: 'scalar', name: 'created_at', type: 'datetime', writable: false },
    { kind: 'reference', name: 'parent_supplier', resource: 'suppliers', fields: ['id', 'name'] },
  ],
}

export const invoices: ResourceDefinition = {
  name: 'invoices',
  singular: 'invoice',
  xmlRoot: 'invoice-header',
  xmlCollection: 'invoice-headers',
  category: 'transactional',
  scopes: { read: 'core.invoice.read', create: 'core.invoice.create', update: 'core.invoice.write' },
  fields: [
    { kind: 'scalar', name: 'id', type: 'integer', writable: false },
    { kind: 'scalar', name: 'invoice_number', type: 'string', required: true },
    {
      kind: 'scalar',
      name: 'status',
      type: 'string',
      values: ['draft', 'pending_approval', 'approved', 'voided'],
    },
    { kind: 'scalar', name: 'total', type: 'decimal' },
    { kind: 'scalar', name: 'exchange_rate', type: 'float' },
    { kind: 'scalar', name: 'exported', type: 'boolean' },
    { kind: 'scalar', name: 'invoice_date', type: 'date' },
    { kind: 'scalar', name: 'created_at', type: 'datetime', writable: false },
    { kind: 'scalar', name: 'updated_at', type: 'datetime', writable: false },
    { kind: 'reference', name: 'supplier', resource: 'suppliers', fields: ['id', 'name', 'number'] },
    {
      kind: 'lines',
      name: 'invoice_lines',
      element: 'invoice-line',
      fields: [
        { kind: 'scalar', name: 'id', type: 'integer' },
        { kind: 'scalar', name: 'line_num', type: 'integer' },
        { kind: 'scalar', name: 'description', type: 'string' },
        { kind: 'scalar', name: 'price', type: 'decimal' },
      ],
    },
  ],
  initialStatus: 'draft',
}

/** Looks up the two test resources by name. */
export function resolve(name: string): ResourceDefinition | undefined {
  return [invoices, suppliers].find((def) => def.name === name)
}

/** What invoices lets filters name, as error messages list it. */
export const INVOICE_FILTERABLE =
  'id, invoice_number, status, total, exchange_rate, exported, invoice_date, created_at, updated_at, supplier[…]'
export const SUPPLIER_FILTERABLE = 'id, name, number, status, on_hold, created_at, parent_supplier[…]'
export const OTHER_PARAMETERS = 'offset, limit, order_by, dir, return_object, fields'

/** Parses a query on invoices. */
export function parseInvoices(params: QueryParams, options?: ParseQueryOptions): QuerySpec {
  return parseQuery(invoices, params, resolve, options)
}

/** The messages of the QueryError a query on invoices throws; fails when it throws nothing. */
export function queryErrors(params: QueryParams): string[] {
  try {
    parseInvoices(params)
  } catch (error) {
    assert.ok(error instanceof QueryError, `expected a QueryError, got ${String(error)}`)
    return error.messages
  }
  return assert.fail(`expected a QueryError for ${JSON.stringify(params)}`)
}

/** The one filter a query on invoices yields. */
export function onlyFilter(params: Record<string, string>): Filter {
  const { filters } = parseInvoices(params)
  assert.equal(filters.length, 1)
  const [filter] = filters
  assert.ok(filter)
  return filter
}

export const DATETIME_EXPECTED =
  'expected an ISO 8601 datetime such as 2010-03-25T18:38:00-07:00 or a date such as 2010-01-15 (write + as %2B)'
