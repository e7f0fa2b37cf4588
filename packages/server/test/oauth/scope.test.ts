import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allScopeNames } from '../../src/catalogue/index.ts'
import { OAuthError } from '../../src/oauth/errors.ts'
import { grantedScope, grantScopes } from '../../src/oauth/scope.ts'

describe('grantedScope (the scope string of a token response)', () => {
  const allowed = ['core.invoice.read', 'core.common.read', 'core.supplier.read']

  it('answers what grantScopes answers, joined with spaces, the first time and again', () => {
    for (const requested of [
      undefined,
      '',
      '  ',
      'core.common.read',
      'core.common.read  core.invoice.read core.common.read',
    ]) {
      const expected = grantScopes(requested, allowed).join(' ')
      assert.equal(grantedScope(requested, allowed), expected)
      assert.equal(grantedScope(requested, allowed), expected)
    }
    assert.equal(grantedScope(undefined, allowed), 'core.invoice.read core.common.read core.supplier.read')
  })

  it('refuses a name the catalogue does not know, whatever the client was given', () => {
    assert.throws(
      () => grantScopes('scope.1', ['scope.1']),
      (error: unknown) =>
        error instanceof OAuthError &&
        error.error === 'invalid_scope' &&
        error.errorDescription.startsWith('scope.1 is not a scope of this instance'),
    )
  })

  it('refuses a scope the client lacks every time: a refusal is never remembered as a grant', () => {
    for (let i = 0; i < 2; i++) {
      assert.throws(
        () => grantedScope('core.invoice.write', allowed),
        (error: unknown) => error instanceof OAuthError && error.error === 'invalid_scope',
      )
    }
  })

  it('follows a change of the client: its new scope list is a new list', () => {
    const before = ['core.invoice.read', 'core.common.read']
    assert.equal(grantedScope('core.common.read', before), 'core.common.read')
    const after = ['core.invoice.read']
    assert.throws(() => grantedScope('core.common.read', after), OAuthError)
    assert.equal(grantedScope(undefined, after), 'core.invoice.read')
  })

  it('stays right past the number of strings it remembers per client', () => {
    const many = allScopeNames.slice(0, 40)
    assert.equal(many.length, 40)
    for (const name of many) assert.equal(grantedScope(name, many), name)
    for (const name of many) assert.equal(grantedScope(name, many), name)
  })
})
