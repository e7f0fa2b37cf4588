/**
 * THE scope catalogue: every scope an instance knows, in Coupa's `service.object.right` form.
 * The token endpoint, the admin API, the Setup pages, the docs and the transition planner all
 * read this one table. The core API attaches resources and actions to these names.
 * Sources: ../../../../../shared/reference/coupa-api-facts.md §2 (Coupa's Swagger securityDefinitions).
 */
export interface ScopeDefinition {
  /** `core.invoice.read` */
  name: string
  /** One line shown in the Scopes page and `keyshift admin scopes`. */
  description: string
  /** What the scope is about (`invoice`, `supplier`, `openid`): groups the scope picker. */
  object: string
  /** `oidc` for the OpenID Connect scopes, `core` for the core API. */
  service: 'core' | 'oidc'
}

/** Objects with `.read` and `.write`: [object as in the scope name, plural noun for descriptions]. */
const readWriteObjects: Array<[string, string]> = [
  ['accounting', 'accounts, account types and account validation rules'],
  ['approval', 'approvals'],
  ['budget', 'budget lines'],
  ['business_entity', 'business entities'],
  ['catalog', 'catalogs and catalog items'],
  ['comment', 'comments'],
  ['common', 'Coupa core set up entities (departments, lookup values, exchange rates, payment terms, …)'],
  ['contract', 'contracts'],
  ['expense', 'expense reports'],
  ['integration', 'integrations, integration runs and integration errors'],
  ['invoice', 'invoices'],
  ['item', 'items'],
  ['legal_entity', 'legal entities'],
  ['payables.invoice', 'payables invoices'],
  ['project', 'projects'],
  ['purchase_order', 'purchase orders'],
  ['requisition', 'requisitions'],
  ['supplier', 'suppliers, supplier sites and remit-to addresses'],
  ['uom', 'units of measure'],
  ['user', 'users'],
  ['user_group', 'user groups'],
]

const extraCoreScopes: Array<[string, string]> = [
  ['core.invoice.create', 'Allows Invoice to be created'],
  ['core.invoice.delete', 'Allows to abandon or void invoices'],
  ['core.invoice.approval.write', 'Allows to add approvers to and restart approvals of invoices'],
  ['core.invoice.approval.bypass', 'Allows to bypass the approvals of invoices'],
]

const oidcScopes: Array<[string, string]> = [
  ['openid', 'OpenID Connect: identify the signed-in user'],
  ['email', 'OpenID Connect: the email address of the user'],
  ['profile', 'OpenID Connect: the profile of the user'],
  ['login', 'OpenID Connect: the login of the user'],
  ['offline_access', 'OpenID Connect: refresh tokens for the authorization code grant'],
]

export const scopeCatalogue: readonly ScopeDefinition[] = Object.freeze([
  ...readWriteObjects.flatMap(([object, noun]): ScopeDefinition[] => [
    { name: `core.${object}.read`, description: `Allows to view ${noun}`, object, service: 'core' },
    {
      name: `core.${object}.write`,
      description: `Allows to create or modify ${noun}`,
      object,
      service: 'core',
    },
  ]),
  ...extraCoreScopes.map(
    ([name, description]): ScopeDefinition => ({ name, description, object: 'invoice', service: 'core' }),
  ),
  ...oidcScopes.map(
    ([name, description]): ScopeDefinition => ({ name, description, object: name, service: 'oidc' }),
  ),
])

const byName = new Map(scopeCatalogue.map((scope) => [scope.name, scope]))

export function findScope(name: string): ScopeDefinition | undefined {
  return byName.get(name)
}

export const allScopeNames: readonly string[] = Object.freeze(scopeCatalogue.map((scope) => scope.name))
