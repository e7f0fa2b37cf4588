/**
 * Every scope an instance knows, in Coupa's `service.object.right` form: the first part of the
 * catalogue. The token endpoint, the admin API, the Setup pages, the docs, the OpenAPI document and
 * the transition planner read it; the resources (resources/) name these scopes, and `ScopeName`
 * makes naming any other a type error. The families and their sources are in scope-families.ts.
 */
import { coreFamilies, type Family, oidcScopes, otherFamilies, type Right } from './scope-families.ts'

export type { Right } from './scope-families.ts'

/** The service a scope belongs to: its first part, or `oidc` for the OpenID Connect scopes. */
export type ScopeService = 'core' | keyof typeof otherFamilies | 'oidc'

export interface ScopeDefinition {
  /** `core.invoice.read` */
  name: ScopeName
  /** One line shown in the Scopes page and `keyshift admin scopes`. */
  description: string
  /** What the scope is about (`invoice`, `inventory.receiving`, `openid`). */
  object: string
  /** `core` for the core API, `oidc` for the OpenID Connect scopes, else the other service. */
  service: ScopeService
}

/** The names of a list of families: `${service}.${object}.${right}` for each right of each object. */
type NamesOf<Service extends string, Families extends readonly Family[]> = {
  [I in keyof Families]: Families[I] extends readonly [infer O extends string, string, infer Rs]
    ? Rs extends readonly (infer Rt extends Right)[]
      ? `${Service}.${O}.${Rt}`
      : never
    : never
}[number]

type OtherScopeName = {
  [S in keyof typeof otherFamilies]: NamesOf<S, (typeof otherFamilies)[S]>
}[keyof typeof otherFamilies]

/** The name of a scope of the catalogue: a resource or a client naming anything else does not compile. */
export type ScopeName = NamesOf<'core', typeof coreFamilies> | OtherScopeName | (typeof oidcScopes)[number][0]

/** Descriptions in Coupa's wording ("Allows to view invoices", §2.1 a), by right. */
const describe: Record<Right, (noun: string) => string> = {
  read: (noun) => `Allows to view ${noun}`,
  write: (noun) => `Allows to create or modify ${noun}`,
  read_write: (noun) => `Allows to view, create or modify ${noun}`,
  create: (noun) => `Allows to create ${noun}`,
  delete: (noun) => `Allows to delete ${noun}`,
  bypass: (noun) => `Allows to bypass ${noun}`,
}

/** Where a scope's own words say more than its family's (Coupa's Swagger for core.invoice.create). */
const ownDescriptions: Partial<Record<ScopeName, string>> = {
  'core.invoice.create': 'Allows Invoice to be created',
  'core.invoice.delete': 'Allows to abandon or void invoices',
  'core.invoice.approval.write': 'Allows to add approvers to and restart approvals of invoices',
  'core.invoice.approval.bypass': 'Allows to bypass the approvals of invoices',
}

function scopesOf(service: ScopeService, families: readonly Family[]): ScopeDefinition[] {
  return families.flatMap(([object, noun, rights]) =>
    rights.map((right): ScopeDefinition => {
      const name = `${service}.${object}.${right}` as ScopeName
      return { name, description: ownDescriptions[name] ?? describe[right](noun), object, service }
    }),
  )
}

/** Every scope: the core API's, the other services', then OpenID Connect's. */
export const scopeCatalogue: readonly ScopeDefinition[] = Object.freeze([
  ...scopesOf('core', coreFamilies),
  ...Object.entries(otherFamilies).flatMap(([service, families]) =>
    scopesOf(service as ScopeService, families),
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

/** Every scope's name, in the catalogue's order: what "all scopes" means. */
export const allScopeNames: readonly ScopeName[] = Object.freeze(scopeCatalogue.map((scope) => scope.name))
