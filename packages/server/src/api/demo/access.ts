/**
 * Roles and user groups, and the roles of each user: who may do what in the demo instance. Made
 * after everything else, so that the random stream of the other records stays as it was.
 */
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import { master } from './reference-data.ts'

/** Name, description, omnipotent, system role: Coupa's Admin and User roles, then custom ones. */
const demoRoles = [
  ['Admin', 'Full access to every setup page and document', true, true],
  ['User', 'Requests, approves and views own documents', false, true],
  ['Buyer', 'Manages purchase orders and suppliers', false, false],
  ['AP Clerk', 'Processes invoices and payments', false, false],
  ['Expense Auditor', 'Reviews expense reports', false, false],
  ['Integration', 'Integration user for the core API', false, false],
] as const

const groupNames = ['Procurement', 'Accounts Payable', 'Finance', 'IT', 'Travel', 'Approvers'] as const

/** Roles, one record per entry of the table. */
function generateRoles(ctx: DemoContext): DemoRecord[] {
  return demoRoles.map(([name, description, omnipotent, systemRole], i) => ({
    ...master(ctx, ctx.idOf('roles', i)),
    name,
    description,
    omnipotent,
    system_role: systemRole,
  }))
}

/** Groups of about ten users each: user `u` belongs to group `u mod groups`. */
function generateUserGroups(ctx: DemoContext): DemoRecord[] {
  const groups = ctx.counts.user_groups
  return Array.from({ length: groups }, (_, g) => {
    const members = Array.from({ length: ctx.counts.users }, (_, u) => u).filter((u) => u % groups === g)
    const base = groupNames[g % groupNames.length] as string
    return {
      ...master(ctx, ctx.idOf('user_groups', g)),
      name: g < groupNames.length ? base : `${base} ${Math.floor(g / groupNames.length) + 1}`,
      description: `Members of ${base}`,
      active: g % 7 !== 6,
      users: members.slice(0, 10).map((u) => ref(ctx.idOf('users', u))),
    }
  })
}

/** The first user is the administrator; everyone is a User, and most have one more role. */
function rolesOf(ctx: DemoContext, userIndex: number): { id: number }[] {
  if (userIndex === 0) return [ref(ctx.idOf('roles', 0))]
  const extra = 2 + (userIndex % (ctx.counts.roles - 1))
  const indexes = extra < ctx.counts.roles ? [1, extra] : [1]
  return indexes.map((i) => ref(ctx.idOf('roles', i)))
}

/** Roles, user groups, and the users with their roles. */
export function generateAccess(
  ctx: DemoContext,
  users: readonly DemoRecord[],
): { roles: DemoRecord[]; user_groups: DemoRecord[]; users: DemoRecord[] } {
  return {
    roles: generateRoles(ctx),
    user_groups: generateUserGroups(ctx),
    users: users.map((user, i) => ({ ...user, roles: rolesOf(ctx, i) })),
  }
}
