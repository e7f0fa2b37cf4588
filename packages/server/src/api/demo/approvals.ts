/**
 * Approvals of the generated invoices, requisitions and expense reports, consistent with their
 * status: a pending approval for everything awaiting approval, then approved and rejected steps
 * of decided records, until the count is reached.
 */
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import type { DemoPools } from './pools.ts'
import { HOUR, iso } from './random.ts'

/** What an approval may be for: the approvable and the approval's status. */
interface Candidate {
  type: 'InvoiceHeader' | 'RequisitionHeader' | 'ExpenseReport'
  record: DemoRecord
  status: 'pending' | 'approved' | 'rejected' | 'on_hold'
}

const DECIDED: Record<Candidate['type'], Record<string, Candidate['status']>> = {
  InvoiceHeader: { pending_approval: 'pending', approved: 'approved', rejected: 'rejected' },
  RequisitionHeader: { pending_approval: 'pending', approved: 'approved', ordered: 'approved' },
  ExpenseReport: {
    pending_approval: 'pending',
    approved_for_payment: 'approved',
    paid: 'approved',
    rejected: 'rejected',
  },
}

const PRIORITY: Candidate['status'][] = ['pending', 'rejected', 'approved']

function candidates(type: Candidate['type'], records: readonly DemoRecord[]): Candidate[] {
  return records.flatMap((record) => {
    const status = DECIDED[type][String(record.status)]
    return status ? [{ type, record, status }] : []
  })
}

/** Approvals: pending ones first, then rejected, then approved (newest records first), ids by time. */
export function generateApprovals(
  ctx: DemoContext,
  pools: DemoPools,
  approvables: { invoices: DemoRecord[]; requisitions: DemoRecord[]; expenseReports: DemoRecord[] },
): DemoRecord[] {
  const { rng } = ctx
  const all = [
    ...candidates('ExpenseReport', approvables.expenseReports),
    ...candidates('RequisitionHeader', approvables.requisitions),
    ...candidates('InvoiceHeader', approvables.invoices),
  ]
  const chosen = PRIORITY.flatMap((status) => all.filter((c) => c.status === status).reverse())
    .slice(0, ctx.counts.approvals)
    .map((candidate) => ({
      candidate,
      created: Math.min(ctx.now, Date.parse(String(candidate.record.created_at)) + HOUR),
    }))
    .sort((a, b) => a.created - b.created)
  return chosen.map(({ candidate, created }, i) => {
    const approverId = approverFor(candidate, pools, rng.pick(pools.approvers))
    const decided = candidate.status === 'pending' ? null : ctx.after(created, 3)
    // A tenth of the pending approvals are on hold: the approver asked for more information.
    const status = candidate.status === 'pending' && rng.chance(0.1) ? 'on_hold' : candidate.status
    return {
      id: ctx.idOf('approvals', i),
      ...ctx.stamps(created, decided ?? created),
      status,
      approvable_type: candidate.type,
      approvable_id: candidate.record.id,
      position: 1,
      approval_date: decided === null ? null : iso(decided),
      note:
        status === 'rejected'
          ? 'Please attach the receipts'
          : status === 'on_hold'
            ? 'Waiting for budget'
            : null,
      approver: ref(approverId),
    }
  })
}

/** An expense report goes to its author's manager; anything else to one of the managers. */
function approverFor(candidate: Candidate, pools: DemoPools, fallback: number): number {
  if (candidate.type !== 'ExpenseReport') return fallback
  const authorId = (candidate.record.expensed_by as { id: number }).id
  const author = pools.expensers.find((user) => user.id === authorId)
  return author?.managerId ?? fallback
}
