import { readWrite, resource } from '../declare.ts'
import { datetime, decimal, flag, float, integer, lines, oneOf, ref, text } from '../fields.ts'
import {
  account,
  accountAllocations,
  addressShown,
  currency,
  exportFields,
  lineBasics,
  paymentTerm,
  remitToShown,
  userRef,
} from './common-fields.ts'

const statuses = [
  'new',
  'draft',
  'pending_receipt',
  'pending_approval',
  'approved',
  'on_hold',
  'disputed',
  'abandoned',
  'voided',
  'rejected',
] as const

export const invoices = resource({
  name: 'invoices',
  singular: 'invoice-header',
  xmlCollection: 'invoice-headers',
  category: 'transactional',
  // DESIGN.md: core.invoice.create creates, core.invoice.write updates and submits,
  // core.invoice.delete abandons and voids, approval.write / approval.bypass handle approvals.
  scopes: { ...readWrite('invoice'), create: 'core.invoice.create' },
  fields: [
    text('invoice_number', 'required'),
    datetime('invoice_date', 'required'),
    oneOf('status', statuses, 'readOnly'),
    oneOf('document_type', ['Invoice', 'Credit Note']),
    // Derived from document_type by the engine (service.ts), never written.
    flag('is_credit_note', 'readOnly'),
    text('original_invoice_number'),
    datetime('original_invoice_date'),
    text('comments'),
    datetime('net_due_date'),
    decimal('total_with_taxes', 'readOnly'),
    decimal('gross_total', 'readOnly'),
    decimal('tax_amount'),
    flag('line_level_taxation'),
    flag('paid', 'readOnly'),
    text('dispute_reason', 'readOnly'),
    ...exportFields,
    ref('supplier', 'suppliers', ['id', 'name', 'number'], 'required'),
    currency,
    paymentTerm,
    ref('bill_to_address', 'addresses', addressShown),
    ref('remit_to_address', 'remit_to_addresses', remitToShown),
    // Set by the engine from the caller (service.ts), never by a client.
    userRef('created_by', 'readOnly'),
    userRef('updated_by', 'readOnly'),
    lines('invoice_lines', 'invoice-line', [
      ...lineBasics,
      decimal('price', 'required'),
      float('quantity'),
      decimal('total', 'readOnly'),
      oneOf('type', ['InvoiceQuantityLine', 'InvoiceAmountLine']),
      integer('order_line_id'),
      account,
      accountAllocations,
    ]),
    // facts §6: tax-lines[] and invoice-charges[] (InvoiceShippingCharge, …Handling…, …Misc…).
    lines('tax_lines', 'tax-line', [
      integer('id', 'readOnly'),
      decimal('amount', 'required'),
      decimal('rate'),
      text('description'),
      ref('tax_code', 'tax_codes', ['id', 'code']),
    ]),
    lines('invoice_charges', 'invoice-charge', [
      integer('id', 'readOnly'),
      integer('line_num'),
      oneOf('type', ['InvoiceShippingCharge', 'InvoiceHandlingCharge', 'InvoiceMiscCharge'], 'required'),
      decimal('total', 'required'),
      text('description'),
    ]),
  ],
  actions: [
    { name: 'submit', from: ['new', 'draft'], to: 'pending_approval' },
    {
      name: 'void',
      scope: 'core.invoice.delete',
      from: ['pending_receipt', 'approved', 'draft'],
      to: 'voided',
    },
    { name: 'abandon', scope: 'core.invoice.delete', from: ['new', 'draft'], to: 'abandoned' },
    {
      name: 'dispute',
      from: ['pending_approval', 'pending_receipt', 'approved'],
      to: 'disputed',
      writes: ['dispute_reason'],
    },
    { name: 'withdraw_dispute', from: ['disputed'], to: 'pending_approval' },
    {
      name: 'add_approver',
      scope: 'core.invoice.approval.write',
      from: ['pending_approval'],
      to: 'pending_approval',
    },
    {
      name: 'bypass_approvals',
      scope: 'core.invoice.approval.bypass',
      from: ['pending_approval'],
      to: 'approved',
    },
  ],
  initialStatus: 'draft',
})
