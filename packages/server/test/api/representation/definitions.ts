/**
 * Small resources for the representation tests: an invoice-like resource with every scalar type,
 * references and lines, the supplier it references, and the payment terms and accounts those
 * reference in turn.
 */
import type { ResourceDefinition } from '../../../src/catalogue/index.ts'

const SCOPES = { read: 'core.common.read', create: 'core.common.write', update: 'core.common.write' } as const

export const paymentTerms: ResourceDefinition = {
  name: 'payment_terms',
  singular: 'payment_term',
  xmlRoot: 'payment-term',
  xmlCollection: 'payment-terms',
  category: 'master',
  scopes: SCOPES,
  fields: [
    { kind: 'scalar', name: 'id', type: 'integer' },
    { kind: 'scalar', name: 'code', type: 'string' },
    { kind: 'scalar', name: 'days', type: 'integer' },
  ],
}

export const accounts: ResourceDefinition = {
  name: 'accounts',
  singular: 'account',
  xmlRoot: 'account',
  xmlCollection: 'accounts',
  category: 'master',
  scopes: SCOPES,
  fields: [
    { kind: 'scalar', name: 'id', type: 'integer' },
    { kind: 'scalar', name: 'code', type: 'string' },
    { kind: 'scalar', name: 'segment_1', type: 'string' },
  ],
}

export const suppliers: ResourceDefinition = {
  name: 'suppliers',
  singular: 'supplier',
  xmlRoot: 'supplier',
  xmlCollection: 'suppliers',
  category: 'master',
  scopes: SCOPES,
  fields: [
    { kind: 'scalar', name: 'id', type: 'integer' },
    { kind: 'scalar', name: 'name', type: 'string', required: true },
    { kind: 'scalar', name: 'number', type: 'string' },
    { kind: 'scalar', name: 'status', type: 'string', writable: true, values: ['active', 'inactive'] },
    { kind: 'scalar', name: 'on_hold', type: 'boolean' },
    { kind: 'reference', name: 'payment_term', resource: 'payment_terms', fields: ['id', 'code'] },
    { kind: 'scalar', name: 'created_at', type: 'datetime' },
  ],
}

export const invoices: ResourceDefinition = {
  name: 'invoices',
  singular: 'invoice',
  xmlRoot: 'invoice-header',
  xmlCollection: 'invoice-headers',
  category: 'transactional',
  scopes: SCOPES,
  fields: [
    { kind: 'scalar', name: 'id', type: 'integer' },
    { kind: 'scalar', name: 'invoice_number', type: 'string', required: true },
    { kind: 'scalar', name: 'invoice_date', type: 'datetime' },
    { kind: 'scalar', name: 'net_due_date', type: 'date' },
    { kind: 'scalar', name: 'status', type: 'string', values: ['draft', 'approved', 'voided'] },
    { kind: 'scalar', name: 'tax_amount', type: 'decimal' },
    { kind: 'scalar', name: 'paid', type: 'boolean' },
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
        { kind: 'scalar', name: 'quantity', type: 'float' },
        { kind: 'reference', name: 'account', resource: 'accounts', fields: ['code', 'segment_1'] },
      ],
    },
    { kind: 'scalar', name: 'created_at', type: 'datetime' },
  ],
}

const ALL = [invoices, suppliers, paymentTerms, accounts]

/** Finds a test resource by name. */
export function resolve(name: string): ResourceDefinition | undefined {
  return ALL.find((def) => def.name === name)
}

/** The invoice of Coupa's sample (coupa-api-facts §6), trimmed to the test resource. */
export const sampleInvoice = {
  id: 1,
  invoice_number: '500',
  invoice_date: '2008-10-28T00:00:00-07:00',
  net_due_date: '2008-11-27',
  status: 'approved',
  tax_amount: '35.14',
  paid: false,
  supplier: { id: 17, name: 'Insight', number: null },
  invoice_lines: [
    {
      id: 1,
      line_num: 1,
      description: 'Laptop',
      price: '425.99',
      quantity: 1,
      account: { code: 'SF-IT-Assets', segment_1: 'SF' },
    },
  ],
  created_at: '2008-10-28T10:00:00Z',
}
