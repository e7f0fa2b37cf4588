import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { AGENT_ERROR_CODES, AgentError } from '../../src/agent/errors.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : []
  })
}

/** KS_AGENT_ codes used as string literals in src/agent/, apart from the list in codes.ts. */
function codesUsedInSource(): string[] {
  const codes = new Set<string>()
  for (const file of sourceFiles(join(root, 'src', 'agent'))) {
    if (file.endsWith(join('agent', 'codes.ts'))) continue
    for (const match of readFileSync(file, 'utf8').matchAll(/'(KS_AGENT_[A-Z0-9_]+)'/g))
      codes.add(match[1] as string)
  }
  return [...codes].sort()
}

function codesInCatalogue(): string[] {
  const text = readFileSync(join(root, 'AGENT.md'), 'utf8')
  return [...text.matchAll(/^### (KS_AGENT_[A-Z0-9_]+)$/gm)].map((match) => match[1] as string).sort()
}

describe('AGENT.md, the catalogue of the agent’s error codes', () => {
  it('lists every code the agent’s sources use, and only those', () => {
    assert.deepEqual(codesUsedInSource(), codesInCatalogue())
  })

  it('lists exactly the codes of AGENT_ERROR_CODES', () => {
    assert.deepEqual([...AGENT_ERROR_CODES].sort(), codesInCatalogue())
  })

  it('gives every code an HTTP status and keeps the cause', () => {
    const cause = new Error('root')
    for (const code of AGENT_ERROR_CODES) {
      const error = new AgentError(code, 'x', { cause })
      assert.equal(error.cause, cause)
      assert.equal(error.exitCode, 1)
      assert.ok(error.status >= 400 && error.status < 600, code)
    }
  })
})
