import { invalidScope } from './errors.ts'

// scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) https://www.rfc-editor.org/rfc/rfc6749#section-3.3
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/**
 * The scopes a token request may be granted: every requested scope must be one of the client's
 * (else invalid_scope); no `scope` means all of the client's scopes. Keeps order, drops repeats.
 */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined || requested.trim() === '') return [...allowed]
  // Scopes are separated by spaces; extra spaces between them are forgiven.
  const names = [...new Set(requested.split(' ').filter((name) => name !== ''))]
  const malformed = names.find((name) => !SCOPE_TOKEN.test(name))
  if (malformed !== undefined) {
    throw invalidScope('scope must be scope names separated by spaces (RFC 6749 §3.3)')
  }
  const allowedSet = new Set(allowed)
  const refused = names.filter((name) => !allowedSet.has(name))
  if (refused.length > 0) {
    throw invalidScope(`the client is not allowed scope ${refused.map((n) => n.slice(0, 80)).join(' ')}`)
  }
  return names
}
