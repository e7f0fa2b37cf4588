import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { CliError, ERROR_CODES } from '../src/errors.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Codes used as string literals in src/ and the bin, apart from the list in errors.ts itself. */
function codesUsedInSource(): Set<string> {
  const codes = new Set<string>()
  for (const file of [...sourceFiles(join(root, 'src')), join(root, 'bin', 'keyshift.cjs')]) {
    if (file.endsWith(`${join('src', 'errors.ts')}`)) continue
    for (const match of readFileSync(file, 'utf8').matchAll(/'(KS_[A-Z0-9_]+)'/g))
      codes.add(match[1] as string)
  }
  return codes
}

/** ERRORS.md describes the CLI's codes; AGENT.md those of the agent. */
function codesInCatalogue(): Set<string> {
  const text = ['ERRORS.md', 'AGENT.md'].map((file) => readFileSync(join(root, file), 'utf8')).join('\n')
  return new Set([...text.matchAll(/^### (KS_[A-Z0-9_]+)$/gm)].map((match) => match[1] as string))
}

describe('ERRORS.md, the catalogue of error codes', () => {
  it('lists every code the sources use, and only those', () => {
    assert.deepEqual([...codesUsedInSource()].sort(), [...codesInCatalogue()].sort())
  })

  it('lists exactly the codes of ERROR_CODES', () => {
    assert.deepEqual([...ERROR_CODES].sort(), [...codesInCatalogue()].sort())
  })

  it('gives KS_USAGE exit code 2 and every other code 1', () => {
    for (const code of ERROR_CODES) {
      assert.equal(new CliError(code, 'x').exitCode, code === 'KS_USAGE' ? 2 : 1, code)
    }
  })

  it('keeps the cause', () => {
    const cause = new Error('root')
    assert.equal(new CliError('KS_ADMIN_UNREACHABLE', 'x', { cause }).cause, cause)
  })
})
