import { readWrite, resource } from '../declare.ts'
import { datetime, decimal, flag, lines, oneOf, ref, text } from '../fields.ts'
import { account, currency, exportFields, lineBasics } from './common-fields.ts'

const statuses = [
  'draft',
  'pending_approval',
  'accounting_review',
  'approved_for_payment',
  'paid',
  'rejected',
] as const

/** Expense reports (`/api/expense_reports`): one employee's expenses, approved and reimbursed. */
export const expenseReports = resource({
  name: 'expense_reports',
  singular: 'expense-report',
  category: 'transactional',
  scopes: readWrite('expense'),
  fields: [
    text('title'),
    oneOf('status', statuses, 'readOnly'),
    datetime('submitted_at', 'readOnly'),
    decimal('total', 'readOnly'),
    flag('paid', 'readOnly'),
    ...exportFields,
    currency,
    ref('expensed_by', 'users', ['id', 'login', 'email'], 'required'),
    lines('expense_lines', 'expense-line', [
      ...lineBasics,
      datetime('expense_date', 'required'),
      text('merchant'),
      decimal('amount', 'required'),
      text('reason'),
      account,
    ]),
  ],
  actions: [{ name: 'submit', from: ['draft'], to: 'pending_approval' }],
  initialStatus: 'draft',
})
