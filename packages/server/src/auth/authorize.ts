import { AuthError } from './errors.ts'
import type { Principal } from './principal.ts'

export interface Permission {
  resource: string
  /** `index`, `show`, `create`, `update` or a custom action such as `void`. */
  action: string
  /** The scope that grants it to OAuth clients. */
  scope: string
}

/**
 * Checks that the principal may do this: a client needs the scope (403 insufficient_scope,
 * https://www.rfc-editor.org/rfc/rfc6750#section-3.1), a key needs the permission or no
 * permissions at all (all APIs), as Coupa's API keys did.
 */
export function authorize(principal: Principal, permission: Permission, realm: string): void {
  if (principal.kind === 'client') {
    if (principal.scopes.has(permission.scope)) return
    throw new AuthError(
      403,
      [
        `Forbidden: ${permission.action} on ${permission.resource} needs the scope ${permission.scope}, which this token does not have`,
      ],
      {
        'www-authenticate': `Bearer realm="${realm}", error="insufficient_scope", scope="${permission.scope}"`,
      },
    )
  }
  if (
    principal.permissions === null ||
    principal.permissions.has(`${permission.resource}#${permission.action}`)
  )
    return
  throw new AuthError(403, [
    `Forbidden: this API key is not permitted to ${permission.action} ${permission.resource}`,
  ])
}
