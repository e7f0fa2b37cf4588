import type { ResourceDefinition } from '../definitions.ts'
import { currency, exportFields, timestamps } from './common-fields.ts'

const statuses = [
  'draft',
  'pending_approval',
  'accounting_review',
  'approved_for_payment',
  'paid',
  'rejected',
] as const

/** Expense reports (`/api/expense_reports`): one employee's expenses, approved and reimbursed. */
export const expenseReports: ResourceDefinition = {
  name: 'expense_reports',
  singular: 'expense-report',
  xmlRoot: 'expense-report',
  xmlCollection: 'expense-reports',
  category: 'transactional',
  scopes: { read: 'core.expense.read', create: 'core.expense.write', update: 'core.expense.write' },
  fields: [
    ...timestamps,
    { kind: 'scalar', name: 'title', type: 'string' },
    { kind: 'scalar', name: 'status', type: 'string', writable: false, values: statuses },
    { kind: 'scalar', name: 'submitted_at', type: 'datetime', writable: false },
    { kind: 'scalar', name: 'total', type: 'decimal', writable: false },
    { kind: 'scalar', name: 'paid', type: 'boolean', writable: false },
    ...exportFields,
    currency,
    {
      kind: 'reference',
      name: 'expensed_by',
      resource: 'users',
      fields: ['id', 'login', 'email'],
      required: true,
    },
    {
      kind: 'lines',
      name: 'expense_lines',
      element: 'expense-line',
      fields: [
        { kind: 'scalar', name: 'id', type: 'integer', writable: false },
        { kind: 'scalar', name: 'line_num', type: 'integer' },
        { kind: 'scalar', name: 'description', type: 'string', required: true },
        { kind: 'scalar', name: 'expense_date', type: 'datetime', required: true },
        { kind: 'scalar', name: 'merchant', type: 'string' },
        { kind: 'scalar', name: 'amount', type: 'decimal', required: true },
        { kind: 'scalar', name: 'reason', type: 'string' },
        { kind: 'reference', name: 'account', resource: 'accounts', fields: ['id', 'code', 'name'] },
      ],
    },
  ],
  actions: [{ name: 'submit', scope: 'core.expense.write', from: ['draft'], to: 'pending_approval' }],
  initialStatus: 'draft',
}
