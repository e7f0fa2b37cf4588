import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileCycles, type ImportEdge, readImports, serverViolations } from '../../../scripts/architecture.ts'

const packages = join(import.meta.dirname, '..', '..')
const rulesOf = (edges: ImportEdge[]) => serverViolations(edges).map((v) => v.rule)

describe('the floors of the server (docs/ARCHITECTURE.md)', () => {
  it('holds for the source: no cycle, every import down, Fastify only in the HTTP layer', () => {
    assert.deepEqual(serverViolations(readImports(join(packages, 'server', 'src'))), [])
  })

  it('has no import cycle in the client, the CLI or the Setup pages', () => {
    for (const name of ['client', 'cli', 'web']) {
      assert.deepEqual(fileCycles(readImports(join(packages, name, 'src'))), [], name)
    }
  })

  it('finds a cycle between two files', () => {
    const edges = [
      { from: 'store/a.ts', to: 'store/b.ts' },
      { from: 'store/b.ts', to: 'store/a.ts' },
    ]
    assert.deepEqual(fileCycles(edges), [['store/a.ts', 'store/b.ts', 'store/a.ts']])
    assert.ok(rulesOf(edges).includes('file-cycle'))
  })

  it('finds folders that import each other, even without a file cycle', () => {
    const edges = [
      { from: 'api/routes.ts', to: 'auth/authenticate.ts' },
      { from: 'auth/authorize.ts', to: 'api/errors.ts' },
    ]
    assert.ok(rulesOf(edges).includes('folder-cycle'))
  })

  it('refuses an import that points up a floor: transition never imports admin', () => {
    assert.deepEqual(rulesOf([{ from: 'transition/review.ts', to: 'admin/schemas.ts' }]), ['floor'])
    assert.deepEqual(rulesOf([{ from: 'contract/views.ts', to: 'store/store.ts' }]), ['floor'])
  })

  it('refuses Fastify below the routes, and a service importing the HTTP layer', () => {
    assert.deepEqual(rulesOf([{ from: 'transition/signals.ts', to: 'fastify' }]), ['fastify-below-routes'])
    assert.deepEqual(rulesOf([{ from: 'api/service.ts', to: 'api/routes.ts' }]), ['imports-http-layer'])
    assert.deepEqual(rulesOf([{ from: 'api/routes.ts', to: 'fastify' }]), [])
  })

  it('names the folder a new floor is missing for', () => {
    assert.throws(
      () => serverViolations([{ from: 'widgets/a.ts', to: 'store/store.ts' }]),
      /src\/widgets\/ has no floor/,
    )
  })
})
