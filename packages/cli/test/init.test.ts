import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, it } from 'node:test'
import { parseConfig, parseRawConfig } from '../src/agent/config/load.ts'
import { parseCommandArgs } from '../src/command.ts'
import { initCommand, initInstances, type Prompter } from '../src/commands/init.ts'
import { run } from './helpers.ts'

const URLS = [
  '--production',
  'https://acme.coupahost.com',
  '--test',
  'https://acme-test.coupahost.com',
  '--dev',
  'http://127.0.0.1:8080',
  '--stage',
  'https://stage.acme.example',
]

describe('keyshift init: a starter keyshift.yaml', () => {
  let dir: string
  let out: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyshift-init-'))
    out = join(dir, 'keyshift.yaml')
  })

  it('writes the four instances from the flags, each with its kind; a keyshift one gets an admin block', async () => {
    const result = await run(['init', ...URLS, '--out', out])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    const text = readFileSync(out, 'utf8')
    const raw = parseRawConfig(text, out)
    assert.deepEqual(
      Object.entries(raw.instances).map(([name, i]) => [name, i.url, i.kind, i.admin?.password ?? null]),
      [
        ['production', 'https://acme.coupahost.com', 'coupa', null],
        ['test', 'https://acme-test.coupahost.com', 'coupa', null],
        ['dev', 'http://127.0.0.1:8080', 'keyshift', `\${DEV_ADMIN_PASSWORD}`],
        ['stage', 'https://stage.acme.example', 'keyshift', `\${STAGE_ADMIN_PASSWORD}`],
      ],
    )
    assert.equal(raw.env_file, 'secrets.env')
    assert.deepEqual(raw.usage, { enabled: true, retention_days: 90 })
    assert.deepEqual(raw.integrations['sample-integration'], {
      instance: 'production',
      auth: 'api_key',
      api_key: `\${SAMPLE_INTEGRATION_API_KEY}`,
      local_secret: `\${SAMPLE_INTEGRATION_LOCAL_SECRET}`,
    })
    assert.match(text, /^# keyshift\.yaml: the configuration of `keyshift agent`/)
    assert.doesNotMatch(text, /placeholder/)
    assert.match(
      result.stdout,
      new RegExp(`^Wrote ${out}:\\n {2}production {2}coupa {5}https://acme\\.coupahost\\.com\\n`),
    )
    assert.match(result.stdout, /\n {2}3\. keyshift agent --config .*keyshift\.yaml --check\n/)
    assert.match(
      result.stdout,
      /SAMPLE_INTEGRATION_API_KEY=… SAMPLE_INTEGRATION_LOCAL_SECRET=… DEV_ADMIN_PASSWORD=… STAGE_ADMIN_PASSWORD=…/,
    )
  })

  it('the agent accepts the file once its env file holds the variables', async () => {
    await run(['init', ...URLS, '--kind', 'keyshift', '--out', out])
    writeFileSync(
      join(dir, 'secrets.env'),
      'SAMPLE_INTEGRATION_API_KEY=0123456789abcdef0123456789abcdef01234567\nSAMPLE_INTEGRATION_LOCAL_SECRET=local-secret-0123456789abcdef\n',
      { mode: 0o600 },
    )
    const config = parseConfig(readFileSync(out, 'utf8'), out, {})
    assert.deepEqual(
      [...config.instances.values()].map((i) => i.kind),
      ['keyshift', 'keyshift', 'keyshift', 'keyshift'],
    )
    assert.equal(config.envFile, join(dir, 'secrets.env'))
    assert.equal(config.integrations.get('sample-integration')?.auth, 'api_key')
  })

  it('without a terminal, an instance without its flag gets a placeholder URL, and says which flags', async () => {
    const result = await run(['init', '--production', 'https://acme.coupahost.com', '--out', out])
    assert.equal(result.code, 0, result.stderr)
    const text = readFileSync(out, 'utf8')
    assert.match(
      text,
      /\n {2}test:\n {4}url: https:\/\/YOUR-COMPANY-test\.coupahost\.com # placeholder: your test instance's URL \(keyshift init --test URL\)\n {4}kind: coupa\n/,
    )
    assert.equal(Object.keys(parseRawConfig(text, out).instances).length, 4)
    assert.equal(
      result.stderr,
      `warning: no URL for test, dev, stage: placeholders written; edit ${out} or run again with --test URL --dev URL --stage URL --force\n`,
    )
  })

  it('refuses to write over an existing file unless --force', async () => {
    writeFileSync(out, 'mine\n')
    const result = await run(['init', ...URLS, '--out', out])
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_FILE_EXISTS: .*keyshift\.yaml already exists; it was left as it is\nhint: give --force/,
    )
    assert.equal(readFileSync(out, 'utf8'), 'mine\n')
    const forced = await run(['init', ...URLS, '--out', out, '--force'])
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(readFileSync(out, 'utf8'), /^# keyshift\.yaml/)
  })

  it('refuses a URL that is not http(s) and an unknown kind, writing nothing', async () => {
    for (const args of [
      ['--production', 'acme.coupahost.com'],
      ['--kind', 'sap'],
    ]) {
      const result = await run(['init', ...args, '--out', out])
      assert.equal(result.code, 2, args.join(' '))
      assert.match(result.stderr, /^keyshift: KS_USAGE: /)
    }
    assert.throws(() => readFileSync(out), { code: 'ENOENT' })
  })

  it('on a terminal, asks for each URL not given (Enter: a placeholder) and its kind', async () => {
    const answers = ['not a url', 'https://acme-test.coupahost.com', '', 'http://127.0.0.1:9090', '', '']
    const questions: string[] = []
    const prompter: Prompter = {
      ask: async (question) => {
        questions.push(question)
        return answers.shift() ?? ''
      },
    }
    const args = parseCommandArgs(
      initCommand,
      ['--production', 'https://acme.coupahost.com'],
      'keyshift init',
    )
    const instances = await initInstances(args, prompter)
    assert.deepEqual(
      instances.map((i) => [i.name, i.url, i.kind, i.placeholder]),
      [
        ['production', 'https://acme.coupahost.com', 'coupa', false],
        ['test', 'https://acme-test.coupahost.com', 'coupa', false],
        ['dev', 'http://127.0.0.1:9090', 'keyshift', false],
        ['stage', 'https://YOUR-COMPANY-stage.coupahost.com', 'coupa', true],
      ],
    )
    assert.match(questions[1] ?? '', /not an http\(s\) URL/)
    assert.equal(questions[2], 'Kind of test: coupa or keyshift [coupa]: ')
  })

  it('keyshift transition --config FILE that is not there says to run keyshift init', async () => {
    const missing = join(dir, 'keyshift.yaml')
    const result = await run(['transition', 'revoke', '--all-ready', '--config', missing])
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_AGENT_CONFIG_UNREADABLE: cannot read the configuration .* \(no such file\)\n/,
    )
    assert.match(
      result.stderr,
      /\nhint: write a starter configuration with `keyshift init --out .*keyshift\.yaml`/,
    )
  })
})
