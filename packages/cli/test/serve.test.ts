import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ServeMain } from '../src/command.ts'
import { loadServerMain } from '../src/commands/serve.ts'
import { run } from './helpers.ts'

function recordingServer(): { calls: [string[], NodeJS.ProcessEnv][]; load: () => Promise<ServeMain> } {
  const calls: [string[], NodeJS.ProcessEnv][] = []
  const serve: ServeMain = async function fakeServe(argv, env) {
    calls.push([argv, env])
  }
  return { calls, load: async () => serve }
}

function noServer(): Promise<ServeMain> {
  throw new Error('the server must not be loaded')
}

describe('keyshift serve', () => {
  it('hands every argument and the environment to the server unparsed', async () => {
    const server = recordingServer()
    const env = { PORT: '9000', KEYSHIFT_ADMIN_PASSWORD: 'a-long-password' }
    const argv = [
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      '/tmp/x',
      '--issuer',
      'http://localhost:1',
      '--demo',
    ]
    const result = await run(['serve', ...argv], env, { loadServer: server.load })
    assert.equal(result.code, 0)
    assert.deepEqual(server.calls, [[argv, env]])
  })

  it('leaves unknown flags to the server to refuse', async () => {
    const server = recordingServer()
    const result = await run(['serve', '--bogus'], {}, { loadServer: server.load })
    assert.equal(result.code, 0)
    assert.deepEqual(server.calls[0]?.[0], ['--bogus'])
  })

  it('prints its own help without loading the server', async () => {
    const result = await run(['serve', '--port', '1', '--help'], {}, { loadServer: noServer })
    assert.equal(result.code, 0)
    // Lines wrap where the widest flag puts the column: compare with the spacing folded.
    const help = result.stdout.replace(/\s+/g, ' ')
    for (const text of [
      '--port N',
      '[env: PORT] [default: 8080]',
      '--host HOST',
      '[env: HOST] [default: 127.0.0.1]',
      '--data DIR',
      '[env: KEYSHIFT_DATA_DIR] [default:',
      './keyshift-data',
      '--database-url URL',
      'DATABASE_URL',
      'PostgreSQL',
      '--issuer URL',
      'KEYSHIFT_ISSUER',
      'http://HOST:PORT',
      'KEYSHIFT_ADMIN_PASSWORD',
      'mode 0600',
    ]) {
      assert.ok(help.includes(text), `help lacks ${JSON.stringify(text)}`)
    }
  })

  it('passes -h after -- through to the server', async () => {
    const server = recordingServer()
    await run(['serve', '--', '-h'], {}, { loadServer: server.load })
    assert.deepEqual(server.calls[0]?.[0], ['--', '-h'])
  })

  it('reports a server that fails to start as KS_SERVE_FAILED', async () => {
    const failing: ServeMain = async function failingServe() {
      throw new Error('cannot open the embedded store')
    }
    const result = await run(['serve'], {}, { loadServer: async () => failing })
    assert.equal(result.code, 1)
    assert.equal(result.stderr, 'keyshift: KS_SERVE_FAILED: cannot open the embedded store\n')
  })

  it('reports a server package that cannot be loaded as KS_SERVER_UNAVAILABLE', async () => {
    const { CliError } = await import('../src/errors.ts')
    const missing = async (): Promise<ServeMain> => {
      throw new CliError('KS_SERVER_UNAVAILABLE', 'cannot load @keyshift/server/main (ERR_MODULE_NOT_FOUND)')
    }
    const result = await run(['serve'], {}, { loadServer: missing })
    assert.equal(result.code, 1)
    assert.match(result.stderr, /^keyshift: KS_SERVER_UNAVAILABLE: /)
  })

  it('loads main from @keyshift/server/main', async () => {
    const serve = await loadServerMain()
    assert.equal(typeof serve, 'function')
  })
})

describe('keyshift serve --help', () => {
  it('lists every setting the server reads, by flag and environment variable', async () => {
    const { serveSettings } = await import('@keyshift/server/config')
    const { stdout } = await run(['serve', '--help'], {}, { loadServer: noServer })
    for (const { flag, env } of Object.values(serveSettings)) {
      if (flag) assert.ok(stdout.includes(flag), `the help lacks ${flag}`)
      if (env) assert.ok(stdout.includes(env), `the help lacks ${env}`)
    }
  })
})
