/**
 * Every scope an instance knows, in Coupa's `service.object.right` form: the first part of the
 * catalogue. The token endpoint, the admin API, the Setup pages, the docs and the transition
 * planner read it; the resources (resources/) name these scopes, and `ScopeName` makes naming any
 * other a type error.
 * Sources: ../../../../../shared/reference/coupa-api-facts.md §2 (Coupa's Swagger securityDefinitions).
 */
export interface ScopeDefinition {
  /** `core.invoice.read` */
  name: ScopeName
  /** One line shown in the Scopes page and `keyshift admin scopes`. */
  description: string
  /** What the scope is about (`invoice`, `supplier`, `openid`): groups the scope picker. */
  object: string
  /** `oidc` for the OpenID Connect scopes, `core` for the core API. */
  service: 'core' | 'oidc'
}

/** Objects with `.read` and `.write`: [object as in the scope name, plural noun for descriptions]. */
const readWriteObjects = [
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
] as const

const extraCoreScopes = [
  ['core.invoice.create', 'Allows Invoice to be created'],
  ['core.invoice.delete', 'Allows to abandon or void invoices'],
  ['core.invoice.approval.write', 'Allows to add approvers to and restart approvals of invoices'],
  ['core.invoice.approval.bypass', 'Allows to bypass the approvals of invoices'],
] as const

const oidcScopes = [
  ['openid', 'OpenID Connect: identify the signed-in user'],
  ['email', 'OpenID Connect: the email address of the user'],
  ['profile', 'OpenID Connect: the profile of the user'],
  ['login', 'OpenID Connect: the login of the user'],
  ['offline_access', 'OpenID Connect: refresh tokens for the authorization code grant'],
] as const

type ReadWriteObject = (typeof readWriteObjects)[number][0]

/** The name of a scope of the catalogue: a resource or a client naming anything else does not compile. */
export type ScopeName =
  | `core.${ReadWriteObject}.${'read' | 'write'}`
  | (typeof extraCoreScopes)[number][0]
  | (typeof oidcScopes)[number][0]

/** Every scope: the core API's, then OpenID Connect's. */
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

const byName = new Map<string, ScopeDefinition>(scopeCatalogue.map((scope) => [scope.name, scope]))

/** The scope named `name`, or undefined when the catalogue has none by that name. */
export function findScope(name: string): ScopeDefinition | undefined {
  return byName.get(name)
}

/** Every scope's name, in the catalogue's order. */
export const allScopeNames: readonly ScopeName[] = Object.freeze(scopeCatalogue.map((scope) => scope.name))
