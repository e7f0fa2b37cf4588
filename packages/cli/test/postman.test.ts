import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, it } from 'node:test'
import { environmentPath } from '../src/commands/postman.ts'
import { run } from './helpers.ts'

const CLIENT_ID = '0f3c5a1e9b8d4c2f0a1b2c3d4e5f6a7b'
const SCOPE = 'core.invoice.read core.supplier.read'
const SECRET = 'a-secret-that-must-never-be-written'

describe('keyshift postman: the collection of step 3', () => {
  let dir: string
  let out: string
  let environment: string
  const postman = (...extra: string[]) =>
    run(
      [
        'postman',
        '--url',
        'http://127.0.0.1:8080/',
        '--client-id',
        CLIENT_ID,
        '--scope',
        SCOPE,
        '--out',
        out,
        ...extra,
      ],
      // A secret in the environment is not read: the files never hold one.
      { KEYSHIFT_CLIENT_SECRET: SECRET },
    )
  const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'))

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyshift-postman-'))
    out = join(dir, 'step3.postman_collection.json')
    environment = join(dir, 'step3.postman_environment.json')
  })

  it('writes the collection and its environment beside it, and says what to do in Postman', async () => {
    const result = await postman()
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    const collection = read(out)
    assert.equal(
      collection.info.schema,
      'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    )
    assert.equal(collection.auth.type, 'oauth2')
    assert.deepEqual(
      collection.item.map((item: { name: string }) => item.name),
      [
        'Get a token (client credentials)',
        'GET /api/suppliers in JSON (core.supplier.read)',
        'GET /api/suppliers in XML (core.supplier.read)',
        'GET /api/currencies outside the scopes (core.common.read)',
      ],
    )
    assert.deepEqual(read(environment).values, [
      { key: 'base_url', value: 'http://127.0.0.1:8080', type: 'default', enabled: true },
      { key: 'client_id', value: CLIENT_ID, type: 'default', enabled: true },
      { key: 'scope', value: SCOPE, type: 'default', enabled: true },
      { key: 'client_secret', value: '', type: 'secret', enabled: true },
    ])
    for (const path of [out, environment]) assert.ok(!readFileSync(path, 'utf8').includes(SECRET), path)
    assert.ok(
      result.stdout.startsWith(
        `Wrote the Postman collection to ${out}\nand its environment to ${environment}.\n`,
      ),
    )
    assert.match(result.stdout, /Import both files/)
    assert.match(
      result.stdout,
      /Select the environment "OAuth 2\.0 credentials test: 127\.0\.0\.1:8080"\n {5}and paste the client's Secret into the current value of client_secret/,
    )
    assert.match(result.stdout, /Run the collection/)
  })

  it('prints the two paths and the requests with --json', async () => {
    const result = await postman('--json')
    assert.equal(result.code, 0, result.stderr)
    const answer = JSON.parse(result.stdout)
    assert.equal(answer.collection, out)
    assert.equal(answer.environment, environment)
    assert.equal(answer.requests.length, 4)
  })

  it('leaves client_id empty without --client-id, and says so', async () => {
    const result = await run(['postman', '--url', 'http://127.0.0.1:8080', '--scope', SCOPE, '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(read(environment).values[1].value, '')
    assert.match(result.stdout, /Fill in client_id too: no --client-id was given/)
  })

  it('says when no scope reads a resource: the collection then only gets a token', async () => {
    const result = await run(['postman', '--url', 'http://127.0.0.1:8080', '--scope', 'openid', '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(read(out).item.length, 2)
    assert.match(result.stdout, /\(none of these scopes reads a resource of the core API\)/)
  })

  it('warns that a plain http instance elsewhere than loopback would get the secret in clear', async () => {
    const result = await run(['postman', '--url', 'http://coupa.example.com', '--scope', SCOPE, '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(
      result.stderr,
      'warning: the collection sends the client secret over plain http; use https\n',
    )
  })

  it('refuses to write over the collection without --force (KS_FILE_EXISTS), and writes nothing', async () => {
    writeFileSync(out, 'mine')
    const result = await postman()
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      `keyshift: KS_FILE_EXISTS: ${out} already exists; it was left as it is\nhint: give --force to write over it, or another --out\n`,
    )
    assert.equal(readFileSync(out, 'utf8'), 'mine')
    assert.equal(existsSync(environment), false)
  })

  it('refuses to write over the environment without --force, and leaves the collection unwritten', async () => {
    writeFileSync(environment, 'mine')
    const result = await postman()
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_FILE_EXISTS: .*step3\.postman_environment\.json already exists/,
    )
    assert.equal(existsSync(out), false)
  })

  it('writes over both with --force', async () => {
    writeFileSync(out, 'mine')
    writeFileSync(environment, 'mine')
    const result = await postman('--force')
    assert.equal(result.code, 0, result.stderr)
    assert.equal(read(out).auth.type, 'oauth2')
    assert.equal(read(environment)._postman_variable_scope, 'environment')
  })

  it('fails with KS_FILE_WRITE_FAILED when the folder is missing', async () => {
    out = join(dir, 'missing', 'step3.json')
    const result = await postman()
    assert.equal(result.code, 1)
    assert.equal(result.stderr, `keyshift: KS_FILE_WRITE_FAILED: cannot write ${out} (ENOENT)\n`)
  })
})

describe('keyshift postman: usage errors (KS_USAGE, exit 2)', () => {
  const cases: [string, string[], RegExp][] = [
    ['without --scope', ['--url', 'http://127.0.0.1:8080', '--out', 'x.json'], /missing --scope/],
    [
      'with a --scope of spaces',
      ['--url', 'http://127.0.0.1:8080', '--scope', ' ', '--out', 'x.json'],
      /--scope names no scope/,
    ],
    ['without --out', ['--url', 'http://127.0.0.1:8080', '--scope', SCOPE], /missing --out/],
    ['without --url', ['--scope', SCOPE, '--out', 'x.json'], /missing --url/],
    [
      'with a --url that is no URL',
      ['--url', 'acme', '--scope', SCOPE, '--out', 'x.json'],
      /--url is not a valid URL/,
    ],
  ]
  for (const [name, argv, message] of cases) {
    it(`refuses a command line ${name}`, async () => {
      const result = await run(['postman', ...argv])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /^keyshift: KS_USAGE: /)
      assert.match(result.stderr, message)
      assert.equal(result.stdout, '')
    })
  }
})

describe('keyshift postman: the environment file is named after the collection file', () => {
  for (const [out, environment] of [
    ['step3.postman_collection.json', 'step3.postman_environment.json'],
    ['step3.json', 'step3.postman_environment.json'],
    [join('out', 'step3'), join('out', 'step3.postman_environment.json')],
  ]) {
    it(`${out} → ${environment}`, () => assert.equal(environmentPath(out as string), environment))
  }
})
