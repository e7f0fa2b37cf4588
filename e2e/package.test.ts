/**
 * What we ship, installed as a user installs it: `npm pack` of @keyshift/client and keyshift, the
 * tarballs installed with `npm install` into a new project outside the repository, and there the
 * client imported from ES modules and CommonJS, type-checked as a user's TypeScript would
 * (node16 and bundler resolution), a token got with it from the installed `keyshift serve`, the
 * guide's curl answered, and `keyshift --help`. Nothing of the repository's node_modules is
 * reachable from there, and no TypeScript loader runs.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { waitFor } from './support/agent.ts'
import { curlToken, REPO } from './support/serve.ts'

const run = promisify(execFile)
const ADMIN_PASSWORD = 'package test admin password'
const INSTALL = { timeout: 240_000 }
const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')

/** The environment of a user's shell: no NODE_OPTIONS (the tests' source condition), nothing of ours. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _options, ...env } = process.env
  return { ...env, npm_config_fund: 'false', npm_config_audit: 'false', ...extra }
}

/**
 * A user's `npm install` gets better-sqlite3's prebuilt binary from GitHub; this machine reaches
 * only the npm registry, so there its install script would compile SQLite (about 3 minutes per
 * install on 2 cores, more than the 3 minutes a test file has). The binary the repository's own
 * install built (same Node.js ABI, platform and architecture) stands in for the download, packed
 * the way prebuild-install names and unpacks it: `<dir>/better-sqlite3-v<version>-node-v<abi>-
 * <platform>-<arch>.tar.gz` holding `build/Release/better_sqlite3.node`, found through
 * `npm_config_better_sqlite3_local_prebuilds`.
 */
async function localPrebuild(dir: string): Promise<Record<string, string>> {
  const driver = dirname(
    createRequire(join(REPO, 'packages/server/package.json')).resolve('better-sqlite3/package.json'),
  )
  const { version } = JSON.parse(readFileSync(join(driver, 'package.json'), 'utf8'))
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
  mkdirSync(dir, { recursive: true })
  await run('tar', ['-czf', join(dir, name), '-C', driver, 'build/Release/better_sqlite3.node'])
  return { npm_config_better_sqlite3_local_prebuilds: dir }
}

describe('the packages as a user installs them', { timeout: 600_000 }, () => {
  let project: string
  let globalPrefix: string
  let data: string
  let server: ChildProcess | undefined
  let base = ''
  let log = ''
  const inProject = (command: string, args: string[], extra?: Record<string, string>) =>
    run(command, args, { cwd: project, env: userEnv(extra), maxBuffer: 16 * 1024 * 1024 })

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'keyshift-user-'))
    data = join(project, 'keyshift-data')
    globalPrefix = join(project, 'global')
    const packs = join(project, 'packs')
    mkdirSync(packs)
    await run('npm', ['pack', '-w', '@keyshift/client', '-w', 'keyshift', '--pack-destination', packs], {
      cwd: REPO,
      env: userEnv(),
    })
    const tarballs = readdirSync(packs).map((name) => join(packs, name))
    assert.equal(tarballs.length, 2, `packed: ${tarballs.join(', ')}`)
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }))
    // @types/node as a user's TypeScript project has it, in the version the repository uses.
    const types = `@types/node@${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).devDependencies['@types/node']}`
    // The project's install and the global one side by side, each unpacking the local prebuild.
    const cli = tarballs.find((path) => /keyshift-\d/.test(path))
    assert.ok(cli)
    const prebuilt = await localPrebuild(join(project, 'prebuilds'))
    await Promise.all([
      inProject('npm', ['install', '--prefer-offline', '--no-package-lock', ...tarballs, types], prebuilt),
      inProject('npm', ['install', '-g', '--prefer-offline', '--prefix', globalPrefix, cli], prebuilt),
    ])
  }, INSTALL)

  after(async () => {
    server?.kill('SIGTERM')
    if (server && server.exitCode === null) await new Promise((resolve) => server?.once('exit', resolve))
    rmSync(project, { recursive: true, force: true })
  })

  it('ships only what a user needs: built JavaScript, declarations, the Setup pages, the docs, the licence', async () => {
    const client = JSON.parse(
      readFileSync(join(project, 'node_modules/@keyshift/client/package.json'), 'utf8'),
    )
    assert.equal(client.private, undefined)
    assert.deepEqual(readdirSync(join(project, 'node_modules/@keyshift/client')).sort(), [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist',
      'package.json',
    ])
    const cli = join(project, 'node_modules/keyshift')
    assert.deepEqual(readdirSync(cli).sort(), [
      'AGENT.md',
      'ERRORS.md',
      'LICENSE',
      'README.md',
      'bin',
      'dist',
      'package.json',
    ])
    assert.ok(readdirSync(join(cli, 'dist/setup-pages')).includes('index.html'))
  })

  it('runs the installed keyshift --help', async () => {
    const { stdout } = await inProject(join(project, 'node_modules/.bin/keyshift'), ['--help'])
    assert.match(stdout, /^Usage: keyshift <command>/)
  })

  it('installs globally from its tarball alone (npm install -g), the server and the client inside', async () => {
    const { stdout } = await inProject(join(globalPrefix, 'bin', 'keyshift'), ['serve', '--help'])
    assert.match(stdout, /^Usage: keyshift serve/)
    // The bundle holds Fastify, pino, zod…; npm installed only the database drivers (and theirs).
    const installed = readdirSync(join(globalPrefix, 'lib', 'node_modules', 'keyshift', 'node_modules'))
    assert.ok(installed.includes('better-sqlite3') && installed.includes('pg'), installed.join(', '))
    assert.ok(!installed.includes('fastify') && !installed.includes('zod'), installed.join(', '))
  })

  it('serves with the installed keyshift serve, and answers the guide curl', async () => {
    server = spawn(
      join(project, 'node_modules/.bin/keyshift'),
      ['serve', '--port', '0', '--data', data, '--demo', '--log-level', 'warn'],
      { cwd: project, env: userEnv({ KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD }) },
    )
    server.stdout?.on('data', (chunk) => {
      log += chunk
    })
    server.stderr?.on('data', (chunk) => {
      log += chunk
    })
    await waitFor(
      async () => /client_id=[0-9a-f]{32}/.test(log),
      () => log,
      60_000,
    )
    base = (/Keyshift instance listening on (http:\/\/\S+)/.exec(log)?.[1] ?? '').replace(/\/$/, '')
    const clientId = /client_id=([0-9a-f]{32})/.exec(log)?.[1]
    assert.ok(clientId, log)
    const secret = readFileSync(join(data, 'demo-client-secret.txt'), 'utf8').trim()
    const body = await curlToken(`${base}/oauth2/token`, {
      clientId,
      clientSecret: secret,
      scope: 'core.invoice.read',
    })
    assert.equal(body.token_type, 'bearer')
    assert.equal((await fetch(`${base}/`)).status, 200, 'the Setup pages are served from the package')
  })

  it('gets a token with @keyshift/client from ES modules and from CommonJS', async () => {
    const clientId = /client_id=([0-9a-f]{32})/.exec(log)?.[1] ?? ''
    const secret = readFileSync(join(data, 'demo-client-secret.txt'), 'utf8').trim()
    const settings = JSON.stringify({ tokenUrl: `${base}/oauth2/token`, clientId, clientSecret: secret })
    const body = (load: string) => `${load}
const tokens = createTokenManager({ ...${settings}, scope: 'core.invoice.read' })
const coupa = createApiClient({ baseUrl: ${JSON.stringify(base)}, tokens })
const token = await tokens.getToken()
const invoice = await coupa.get('invoices/1')
console.log(JSON.stringify({ jwt: token.split('.').length, id: invoice.id, error: typeof TokenError }))
await tokens.close()`
    writeFileSync(
      join(project, 'esm.mjs'),
      body("import { createApiClient, createTokenManager, TokenError } from '@keyshift/client'"),
    )
    writeFileSync(
      join(project, 'cjs.cjs'),
      `(async () => {\n${body("const { createApiClient, createTokenManager, TokenError } = require('@keyshift/client')")}\n})()`,
    )
    for (const file of ['esm.mjs', 'cjs.cjs']) {
      const { stdout } = await inProject(process.execPath, [file])
      assert.deepEqual(JSON.parse(stdout), { jwt: 3, id: 1, error: 'function' }, file)
    }
  })

  it('type-checks a TypeScript consumer with node16 and with bundler resolution', async () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { createTokenManager, type TokenManager, TokenError } from '@keyshift/client'
const tokens: TokenManager = createTokenManager({ tokenUrl: 'https://acme.coupahost.com/oauth2/token', clientId: 'id', clientSecret: 'secret' })
const code: string = new TokenError('KS_TOKEN_EXPIRED', 'expired').code
export { code, tokens }
`,
    )
    writeFileSync(
      join(project, 'consumer.cts'),
      `import client = require('@keyshift/client')
export const manager: client.TokenManager = client.createTokenManager({ tokenUrl: 'https://acme.coupahost.com', clientId: 'id', clientSecret: 'secret' })
`,
    )
    const strict = { strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }
    const configs = {
      node16: { ...strict, module: 'node16', moduleResolution: 'node16' },
      bundler: { ...strict, module: 'esnext', moduleResolution: 'bundler' },
    }
    for (const [name, compilerOptions] of Object.entries(configs)) {
      const files = name === 'node16' ? ['consumer.ts', 'consumer.cts'] : ['consumer.ts']
      writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files }))
      await assert.doesNotReject(inProject(process.execPath, [TSC, '-p', `tsconfig.${name}.json`]), name)
    }
  })
})
