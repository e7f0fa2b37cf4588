/**
 * The scope families of a Coupa instance, as data: per service, each object with the noun its
 * descriptions use and the rights it has. scopes.ts turns them into the scope table; the names are
 * `service.object.right` (`core.inventory.receiving.read`).
 * Sources: ../../../../../shared/reference/coupa-api-facts.md §2.1 (a) Coupa's Swagger
 * securityDefinitions R33–R39, (b) the R34.3.0 list (ROSSUM-SCOPES), (c) the "select all" list of a
 * live instance, (d) other authorization servers; §1.1 Risk Assess.
 *
 * Not here: `csp.invoices.read`. It is a scope of the supplier portal's own authorization server
 * (`supplier.coupahost.com/oauth2/token`, §1.1, §2.1 d), never of a customer's core instance, whose
 * token endpoint this is.
 */

/** The last part of a scope name. `read_write` is one right (§2.1 c: `core.address.read_write`). */
export type Right = 'read' | 'write' | 'read_write' | 'create' | 'delete' | 'bypass'

/** [object as in the scope name, plural noun for the descriptions, its rights]. */
export type Family = readonly [object: string, noun: string, rights: readonly Right[]]

const RW = ['read', 'write'] as const
const R = ['read'] as const
const W = ['write'] as const
const RWX = ['read_write'] as const

/** The core API's scopes (`core.…`). */
export const coreFamilies = [
  // §2.1 (a): Coupa's Swagger, read and write unless noted.
  ['accounting', 'accounts, account types and account validation rules', RW],
  ['approval', 'approvals', RW],
  ['approval.configuration', 'approval chains and their configuration', RW], // seen in (c)
  ['budget', 'budget lines and budget line adjustments', RW],
  ['business_entity', 'business entities', RW],
  ['catalog', 'catalogs, catalog items and supplier items', RW],
  ['comment', 'comments', RW],
  ['common', 'Coupa core set up entities', RW], // Coupa's own words (§2.1 a)
  ['contract', 'contracts, contract terms and legal documents', RW],
  ['contracts_template', 'contract templates', RW],
  ['easy_form_response', 'easy form responses', RW],
  ['easy_form_response.approval', 'the approvals of easy form responses', W],
  ['expense', 'expense reports and related expense objects', RW],
  ['financial_counterparty', 'financial counterparties', RW],
  ['integration', 'integrations, integration runs and integration errors', RW],
  ['inventory.adjustment', 'inventory adjustments', RW],
  ['inventory.asn', 'advance ship notices', RW],
  ['inventory.balance', 'inventory balances and asset tags', R],
  ['inventory.common', 'warehouses, warehouse locations and inventory settings', RW],
  ['inventory.consumption', 'inventory consumptions', RW],
  ['inventory.cycle_counts', 'cycle counts', RW],
  ['inventory.pick_list', 'pick lists', RW],
  ['inventory.receiving', 'receipts, receipt requests and receiving transactions', RW],
  ['inventory.return_to_supplier', 'return to supplier transactions', RW],
  ['inventory.transaction', 'inventory transactions', R],
  ['inventory.transfer', 'inventory transfers', RW],
  ['invoice', 'invoices', [...RW, 'create', 'delete']],
  ['invoice.approval', 'the approvals of invoices', ['write', 'bypass']],
  ['item', 'items', RW], // the R39 spec lists only .write; .read is in (b) and (c)
  ['legal_entity', 'legal entities', RW],
  ['object_translations', 'object translations', RW],
  ['order_header_confirmations', 'order confirmations', RW],
  ['order_pad', 'order pads and order pad lines', RW],
  ['pay.payments', 'Coupa Pay payments and payment details', RW],
  ['pay.statements', 'Coupa Pay statements', RW], // .write in (a), .read in (b)
  ['pay.virtual_cards', 'Coupa Pay virtual cards', RW], // .read in (a), .write in (b)
  ['payables.allocations', 'payable allocations', RW],
  ['payables.external', 'external payables', RW],
  ['payables.invoice', 'Coupa Pay invoices and invoice payables', RW],
  ['payables.order', 'Coupa Pay orders and their reconciliation lines', RW],
  ['project', 'projects, project memberships and tasks', RW],
  ['purchase_order', 'purchase orders, their lines, changes and revisions', RW],
  ['requisition', 'requisitions and requisition lines', RW],
  ['services_procurement.job_categories', 'services procurement job categories', RW],
  ['services_procurement.job_levels', 'services procurement job levels', RW],
  ['services_procurement.job_titles', 'services procurement job titles', RW],
  ['sourcing', 'sourcing events and their approvals', RW],
  ['sourcing.pending_supplier', 'pending quote suppliers', RW],
  ['sourcing.response', 'quote responses', RW],
  ['sourcing.response.award', 'the awards of quote responses', W],
  ['supplier', 'suppliers, supplier sites and remit-to addresses', RW],
  ['supplier.risk_aware', 'the risk aware feed of suppliers', RW],
  ['supplier_information_sites', 'supplier information sites', RW],
  ['supplier_information_tax_registrations', 'supplier information tax registrations', [...RW, 'delete']],
  ['supplier_sharing_settings', 'supplier sharing settings', RW],
  ['user', 'users', RW],
  ['user_group', 'user groups, user group memberships and tasks', RW],
  // §2.1 (b): the R34.3.0 list.
  ['expense.secure', 'expense account number lookups', RW],
  ['global_navigation', 'the global navigation', R],
  ['pay.charges', 'Coupa Pay charges', RW],
  ['pay.payment_accounts', 'Coupa Pay payment accounts and payment partners', R],
  // The read and write spellings differ in Coupa's list: `expense.read` and `expenses.write`; the
  // live list of (c) has `expense.write` too.
  ['payables.expense', 'Coupa Pay expenses', RW],
  ['payables.expenses', 'Coupa Pay expenses', W],
  ['supplier_sites', 'supplier sites', RW],
  ['uom', 'units of measure', RW],
  // Coupa's own typo, listed beside core.inventory.receiving.write; both spellings are accepted.
  ['inventory.receiveing', 'receipt requests and receiving transactions', R],
  // §2.1 (c): the "select all" list of a live instance.
  ['address', 'addresses', RWX],
  ['business_groups', 'business groups (content groups)', RWX],
  ['custom_objects', 'custom object instances', RWX],
  ['lookups', 'lookups', RWX],
  ['roles', 'roles', RWX],
  ['commodity', 'commodities', R],
  ['contract_party_role', 'contract party roles', RW],
  ['data_table_view', 'data table views', W],
  ['data_tables', 'data tables', R],
  ['easy_form', 'easy forms', RW],
  ['estimated_tax', 'estimated taxes', RW],
  ['globalization', 'globalization settings', R],
  ['invoice.assignment', 'the assignments of invoices', RW],
  ['items.flexible_attributes', 'the flexible attributes of items', RW],
  ['my_workbench.task', 'the tasks of My Workbench', R],
  ['notifications_summary', 'notification summaries', RW],
  ['order_header_confirmation.assignment', 'the assignments of order confirmations', RW],
  ['punchout_site', 'punchout sites', RW],
  ['purchase_order.assignment', 'the assignments of purchase orders', RW],
  ['purchase_order_change', 'purchase order changes', RW],
  ['purchase_order_change.assignment', 'the assignments of purchase order changes', RW],
  ['purchase_order_only', 'purchase orders only, without their related objects', RW],
  ['requisition.assignment', 'the assignments of requisitions', RW],
  ['sourcing.bom', 'sourcing bills of materials', R],
  ['swap', 'swaps', W],
  ['translation', 'translations', RW],
  ['unmanaged_spend', 'unmanaged spend', R],
  ['user_recent_activity', 'the recent activity of users', R],
  ['webhooks', 'webhooks', RW],
  ['write_a_request', 'write-a-request forms', R],
] as const satisfies readonly Family[]

/** Other services of the same instance, by service. */
export const otherFamilies = {
  // §2.1 (b)
  travel_booking: [
    ['common', 'travel booking settings', R],
    ['search', 'travel searches', W],
    ['team', 'travel teams', RW],
    ['trip', 'trips', RW],
    ['user', 'travellers', RW],
  ],
  treasury: [['cash_management', 'cash flows in the treasury', ['read', 'write', 'delete']]],
  // §2.1 (c)
  quality_collaboration: [['quality_inspection', 'quality inspections', RW]],
  // §1.1, §2.1 (d): Risk Assess uses core OIDC client-credentials tokens.
  riskassess: [
    ['supplier', 'suppliers in Risk Assess', RW],
    ['evaluation', 'evaluations in Risk Assess', R],
  ],
} as const satisfies Record<string, readonly Family[]>

/** The OpenID Connect scopes (§2), which name no object. */
export const oidcScopes = [
  ['openid', 'OpenID Connect: identify the signed-in user'],
  ['email', 'OpenID Connect: the email address of the user'],
  ['profile', 'OpenID Connect: the profile of the user'],
  ['login', 'OpenID Connect: the login of the user'],
  ['offline_access', 'OpenID Connect: refresh tokens for the authorization code grant'],
] as const
