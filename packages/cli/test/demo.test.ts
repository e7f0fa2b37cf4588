import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { DemoGenerateMain } from '../src/command.ts'
import { loadDemoGenerateMain } from '../src/commands/demo.ts'
import { CliError } from '../src/errors.ts'
import { run } from './helpers.ts'

function recordingGenerator(): { calls: string[][]; load: () => Promise<DemoGenerateMain> } {
  const calls: string[][] = []
  const generate: DemoGenerateMain = async function fakeGenerate(argv) {
    calls.push(argv)
  }
  return { calls, load: async () => generate }
}

function noGenerator(): Promise<DemoGenerateMain> {
  throw new Error('the generator must not be loaded')
}

/** Whether the server's package.json already exports the generator (the lead adds it). */
function exported(): boolean {
  const url = new URL('../../server/package.json', import.meta.url)
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { exports?: Record<string, string> }
  return pkg.exports?.['./demo-generate'] !== undefined
}

describe('keyshift demo generate', () => {
  it('hands every argument to the generator unparsed', async () => {
    const generator = recordingGenerator()
    const argv = ['--invoices', '1_000_000', '--database-url', 'postgres://u:p@db:5432/k', '--seed', '7']
    const result = await run(['demo', 'generate', ...argv], {}, { loadDemoGenerate: generator.load })
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' })
    assert.deepEqual(generator.calls, [argv])
  })

  it('leaves checking the flags to the generator, and -h after -- too', async () => {
    const generator = recordingGenerator()
    await run(['demo', 'generate'], {}, { loadDemoGenerate: generator.load })
    await run(['demo', 'generate', '--data', 'x', '--bogus'], {}, { loadDemoGenerate: generator.load })
    await run(['demo', 'generate', '--', '-h'], {}, { loadDemoGenerate: generator.load })
    assert.deepEqual(generator.calls, [[], ['--data', 'x', '--bogus'], ['--', '-h']])
  })

  it('prints its own help without loading the generator', async () => {
    const result = await run(
      ['demo', 'generate', '--invoices', '5', '--help'],
      {},
      { loadDemoGenerate: noGenerator },
    )
    assert.equal(result.code, 0, result.stderr)
    assert.ok(result.stdout.startsWith('Usage: keyshift demo generate --invoices N '))
    for (const text of [
      '--invoices N',
      '--data DIR',
      '[default: ./keyshift-data]',
      '--database-url URL',
      '--seed N',
    ]) {
      assert.ok(result.stdout.includes(text), `help lacks ${JSON.stringify(text)}`)
    }
    const group = await run(['demo', '--help'], {}, { loadDemoGenerate: noGenerator })
    assert.match(group.stdout, /\n {2}generate +Append N demo invoices/)
  })

  it('reports a generator that fails as KS_DEMO_FAILED with its message', async () => {
    const failing: DemoGenerateMain = async function failingGenerate() {
      throw new Error('cannot open the store')
    }
    const result = await run(
      ['demo', 'generate', '--invoices', '1'],
      {},
      { loadDemoGenerate: async () => failing },
    )
    assert.equal(result.code, 1)
    assert.equal(result.stderr, 'keyshift: KS_DEMO_FAILED: cannot open the store\n')
  })

  it('reports a generator that cannot be loaded as KS_SERVER_UNAVAILABLE', async () => {
    const missing = async (): Promise<DemoGenerateMain> => {
      throw new CliError(
        'KS_SERVER_UNAVAILABLE',
        'cannot load @keyshift/server/demo-generate (ERR_MODULE_NOT_FOUND)',
      )
    }
    const result = await run(['demo', 'generate', '--invoices', '1'], {}, { loadDemoGenerate: missing })
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_SERVER_UNAVAILABLE: cannot load @keyshift\/server\/demo-generate/,
    )
  })

  it('loads main from @keyshift/server/demo-generate', {
    skip: !exported() && 'not exported yet',
  }, async () => {
    assert.equal(typeof (await loadDemoGenerateMain()), 'function')
  })

  it('says the server does not export it yet', { skip: exported() && 'exported' }, async () => {
    await assert.rejects(loadDemoGenerateMain(), (error: unknown) => {
      assert.ok(error instanceof CliError)
      assert.equal(error.code, 'KS_SERVER_UNAVAILABLE')
      assert.equal(
        error.message,
        'cannot load @keyshift/server/demo-generate (ERR_PACKAGE_PATH_NOT_EXPORTED)',
      )
      return true
    })
  })
})
