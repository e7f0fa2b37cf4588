/**
 * The scope table against the reference: every family and spelling that coupa-api-facts.md §2.1
 * lists is a scope of the catalogue, every API route's scope is too, and every name has Coupa's form.
 * The expected list below is copied from the reference text, not from the code.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { coreApiDocument } from '../../src/api/openapi.ts'
import {
  findScope,
  nestedPermissions,
  resources,
  scopeActions,
  scopeCatalogue,
} from '../../src/catalogue/index.ts'

/** [prefix, rights]: `prefix.right` for each right. Written from §2.1, line by line. */
const rw = ['read', 'write']
const reference: Record<string, Array<[string, string[]]>> = {
  '§2.1 (a) Coupa Swagger R33–R39': [
    ['core.accounting', rw],
    ['core.approval', rw],
    ['core.approval.configuration', rw],
    ['core.budget', rw],
    ['core.business_entity', rw],
    ['core.catalog', rw],
    ['core.comment', rw],
    ['core.common', rw],
    ['core.contract', rw],
    ['core.contracts_template', rw],
    ['core.easy_form_response', rw],
    ['core.easy_form_response.approval', ['write']],
    ['core.expense', rw],
    ['core.financial_counterparty', rw],
    ['core.integration', rw],
    ...['adjustment', 'asn', 'common', 'consumption', 'cycle_counts', 'pick_list', 'receiving']
      .concat(['return_to_supplier', 'transfer'])
      .map((object): [string, string[]] => [`core.inventory.${object}`, rw]),
    ['core.inventory.balance', ['read']],
    ['core.inventory.transaction', ['read']],
    ['core.invoice', [...rw, 'create', 'delete']],
    ['core.invoice.approval', ['write', 'bypass']],
    ['core.item', rw],
    ['core.legal_entity', rw],
    ['core.object_translations', rw],
    ['core.order_header_confirmations', rw],
    ['core.order_pad', rw],
    ['core.pay.payments', rw],
    ['core.pay.statements', ['write']],
    ['core.pay.virtual_cards', ['read']],
    ['core.payables.allocations', rw],
    ['core.payables.external', rw],
    ['core.payables.invoice', rw],
    ['core.payables.order', rw],
    ['core.project', rw],
    ['core.purchase_order', rw],
    ['core.requisition', rw],
    ['core.services_procurement.job_categories', rw],
    ['core.services_procurement.job_levels', rw],
    ['core.services_procurement.job_titles', rw],
    ['core.sourcing', rw],
    ['core.sourcing.pending_supplier', rw],
    ['core.sourcing.response', rw],
    ['core.sourcing.response.award', ['write']],
    ['core.supplier', rw],
    ['core.supplier.risk_aware', rw],
    ['core.supplier_information_sites', rw],
    ['core.supplier_information_tax_registrations', [...rw, 'delete']],
    ['core.supplier_sharing_settings', rw],
    ['core.user', rw],
    ['core.user_group', rw],
  ],
  '§2.1 (b) the R34.3.0 list': [
    ['core.expense.secure', rw],
    ['core.global_navigation', ['read']],
    ['core.pay.charges', rw],
    ['core.pay.payment_accounts', ['read']],
    ['core.pay.statements', ['read']],
    ['core.pay.virtual_cards', ['write']],
    ['core.payables.expense', ['read']],
    ['core.payables.expenses', ['write']],
    ['core.supplier_sites', rw],
    ['core.uom', rw],
    ['travel_booking.common', ['read']],
    ['travel_booking.search', ['write']],
    ['travel_booking.team', rw],
    ['travel_booking.trip', rw],
    ['travel_booking.user', rw],
    ['treasury.cash_management', ['read', 'write', 'delete']],
    ['core.inventory.receiveing', ['read']],
    ['core.inventory.receiving', ['write']],
  ],
  '§2.1 (c) the "select all" list of a live instance': [
    ['core.address', ['read_write']],
    ['core.business_groups', ['read_write']],
    ['core.custom_objects', ['read_write']],
    ['core.lookups', ['read_write']],
    ['core.roles', ['read_write']],
    ['core.commodity', ['read']],
    ['core.contract_party_role', rw],
    ['core.data_table_view', ['write']],
    ['core.data_tables', ['read']],
    ['core.easy_form', rw],
    ['core.estimated_tax', rw],
    ['core.globalization', ['read']],
    ['core.invoice.assignment', rw],
    ['core.items.flexible_attributes', rw],
    ['core.my_workbench.task', ['read']],
    ['core.notifications_summary', rw],
    ['core.order_header_confirmation.assignment', rw],
    ['core.punchout_site', rw],
    ['core.purchase_order.assignment', rw],
    ['core.purchase_order_change', rw],
    ['core.purchase_order_change.assignment', rw],
    ['core.purchase_order_only', rw],
    ['core.requisition.assignment', rw],
    ['core.sourcing.bom', ['read']],
    ['core.swap', ['write']],
    ['core.translation', rw],
    ['core.unmanaged_spend', ['read']],
    ['core.user_recent_activity', ['read']],
    ['core.webhooks', rw],
    ['core.write_a_request', ['read']],
    ['quality_collaboration.quality_inspection', rw],
  ],
  '§2.1 (d) and §1.1 Risk Assess': [
    ['riskassess.supplier', rw],
    ['riskassess.evaluation', ['read']],
  ],
  '§2 the OpenID Connect scopes': [],
}
const OIDC = ['openid', 'email', 'profile', 'login', 'offline_access']

/** Every scope name the reference lists, by its section. */
function referenceNames(): Array<[section: string, name: string]> {
  return Object.entries(reference).flatMap(([section, families]) => [
    ...families.flatMap(([prefix, rights]) =>
      rights.map((right): [string, string] => [section, `${prefix}.${right}`]),
    ),
    ...(section.includes('OpenID') ? OIDC.map((name): [string, string] => [section, name]) : []),
  ])
}

/** `service.object(.sub)*.right` (§2): lower-case words joined by underscores, dots between parts. */
const COUPA_SCOPE = /^[a-z]+(_[a-z]+)*(\.[a-z]+(_[a-z]+)*)+\.(read|write|read_write|create|delete|bypass)$/

describe('scope catalogue (coupa-api-facts.md §2.1)', () => {
  it('has every family and spelling of §2.1 (a), (b), (c) and (d), and the OpenID Connect scopes', () => {
    const missing = referenceNames().filter(([, name]) => !findScope(name))
    assert.deepEqual(missing, [])
    assert.ok(referenceNames().length >= 180, `${referenceNames().length} names in the reference list`)
  })

  it("keeps both of Coupa's spellings: payables.expense/expenses and inventory.receiving/receiveing", () => {
    for (const name of [
      'core.payables.expense.read',
      'core.payables.expenses.write',
      'core.inventory.receiving.read',
      'core.inventory.receiving.write',
      'core.inventory.receiveing.read',
    ])
      assert.ok(findScope(name), name)
  })

  it('leaves out csp.invoices.read: the supplier portal has its own authorization server (§1.1)', () => {
    assert.equal(findScope('csp.invoices.read'), undefined)
    assert.deepEqual(
      scopeCatalogue.filter((scope) => scope.name.startsWith('csp.')),
      [],
    )
  })

  it("has every scope an API route needs: each resource's read, create, update and action scopes", () => {
    for (const def of resources) {
      const needed = [
        def.scopes.read,
        def.scopes.create,
        def.scopes.update,
        ...(def.actions ?? []).map((a) => a.scope),
      ]
      for (const scope of needed) assert.ok(findScope(scope), `${def.name} needs ${scope}`)
    }
  })

  it("names every scope in Coupa's form service.object(.sub)*.right, the OpenID Connect scopes aside", () => {
    for (const scope of scopeCatalogue) {
      if (scope.service === 'oidc') {
        assert.ok(OIDC.includes(scope.name), scope.name)
        continue
      }
      assert.match(scope.name, COUPA_SCOPE)
      assert.ok(scope.name.startsWith(`${scope.service}.${scope.object}.`), scope.name)
    }
  })

  it("lists each scope once, with a one-line description in Coupa's wording", () => {
    const names = scopeCatalogue.map((scope) => scope.name)
    assert.equal(new Set(names).size, names.length)
    for (const scope of scopeCatalogue) {
      assert.match(scope.description, /^\S.*\S$/, scope.name)
      assert.doesNotMatch(scope.description, /\n/, scope.name)
    }
    assert.equal(findScope('core.invoice.read')?.description, 'Allows to view invoices')
    assert.equal(findScope('core.invoice.write')?.description, 'Allows to create or modify invoices')
    assert.equal(findScope('core.invoice.create')?.description, 'Allows Invoice to be created')
    assert.equal(findScope('core.common.read')?.description, 'Allows to view Coupa core set up entities')
  })

  it('has no scope the reference does not list', () => {
    const listed = new Set(referenceNames().map(([, name]) => name))
    // The live list of §2.1 (c) also has core.payables.expense.write beside (b)'s expenses.write.
    const beyond = scopeCatalogue.map((scope) => scope.name).filter((name) => !listed.has(name))
    assert.deepEqual(beyond, ['core.payables.expense.write'])
  })

  it('grants each scope an API route names its resource#action pairs, and every other scope none', () => {
    const served = new Set(
      resources.flatMap((def) => [
        def.scopes.read,
        def.scopes.create,
        def.scopes.update,
        ...(def.actions ?? []).map((a) => a.scope),
      ]),
    )
    for (const permission of nestedPermissions) served.add(permission.scope)
    for (const { name } of scopeCatalogue) {
      const actions = scopeActions(name)
      if (served.has(name)) assert.ok(actions.length > 0, `${name} grants nothing`)
      else assert.deepEqual(actions, [], `${name} is served by no route`)
    }
    assert.deepEqual(scopeActions('core.pay.payments.read'), [])
    assert.deepEqual(scopeActions('core.invoice.read'), [
      'invoices#attachments',
      'invoices#index',
      'invoices#retrieve_image_scan',
      'invoices#show',
    ])
  })

  it("gives the OpenAPI document every scope of the table but OpenID Connect's, and only those", () => {
    const document = coreApiDocument('https://keyshift.test', resources) as {
      components: { securitySchemes: { oauth2: { flows: { clientCredentials: { scopes: object } } } } }
      paths: Record<string, Record<string, { security?: Array<{ oauth2?: string[] }> }>>
    }
    const documented = document.components.securitySchemes.oauth2.flows.clientCredentials.scopes
    const apiScopes = scopeCatalogue.filter((scope) => scope.service !== 'oidc')
    assert.deepEqual(
      Object.entries(documented),
      apiScopes.map((scope) => [scope.name, scope.description]),
    )
    const required = Object.values(document.paths).flatMap((path) =>
      Object.values(path).flatMap((operation) => operation.security?.flatMap((s) => s.oauth2 ?? []) ?? []),
    )
    assert.ok(required.length > 0)
    for (const scope of required) assert.ok(scope in documented, scope)
  })
})
