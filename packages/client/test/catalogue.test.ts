import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { ApiError, ClientError, ERROR_CODES, TokenError } from '../src/index.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Codes written as string literals anywhere in src/. */
function codesUsedInSource(): Set<string> {
  const codes = new Set<string>()
  for (const name of readdirSync(join(root, 'src'))) {
    if (!name.endsWith('.ts')) continue
    for (const match of readFileSync(join(root, 'src', name), 'utf8').matchAll(/'(KS_[A-Z0-9_]+)'/g)) {
      codes.add(match[1] as string)
    }
  }
  return codes
}

function codesInReadme(): Set<string> {
  const text = readFileSync(join(root, 'README.md'), 'utf8')
  return new Set([...text.matchAll(/^### (KS_[A-Z0-9_]+)$/gm)].map((match) => match[1] as string))
}

const sorted = (codes: Iterable<string>) => [...codes].sort()

describe('README.md, the catalogue of error codes', () => {
  it('lists every code the sources use, and only those', () => {
    assert.deepEqual(sorted(codesUsedInSource()), sorted(codesInReadme()))
  })

  it('lists exactly the codes of ERROR_CODES', () => {
    assert.deepEqual(sorted(ERROR_CODES), sorted(codesInReadme()))
  })

  it('gives every error class its name, code and cause', () => {
    const cause = new Error('root')
    const token = new TokenError('KS_TOKEN_EXPIRED', 'x', { cause, status: 503 })
    assert.deepEqual(
      [token.name, token.code, token.status, token.cause],
      ['TokenError', 'KS_TOKEN_EXPIRED', 503, cause],
    )
    const api = new ApiError('KS_API_FORBIDDEN', 'x', { method: 'GET', path: '/api/x', status: 403, cause })
    assert.deepEqual(
      [api.name, api.code, api.status, api.cause],
      ['ApiError', 'KS_API_FORBIDDEN', 403, cause],
    )
    assert.ok(token instanceof ClientError && api instanceof ClientError)
  })
})
