import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { agentCommand, agentOptionsFromArgs } from '../../src/agent/command.ts'
import { type Context, parseCommandArgs } from '../../src/command.ts'
import { commandHelp } from '../../src/help.ts'
import { renderError } from '../../src/main.ts'
import { agentYaml, ENV } from './helpers.ts'

const PATH = 'keyshift agent'
const signals = { on: () => undefined, off: () => undefined }

interface Captured {
  context: Context
  stdout: string[]
  stderr: string[]
}

function capture(env: Record<string, string> = ENV): Captured {
  const stdout: string[] = []
  const stderr: string[] = []
  const context = {
    env,
    io: { stdout: (text: string) => stdout.push(text), stderr: (text: string) => stderr.push(text) },
    fetch: globalThis.fetch,
    now: () => new Date(),
  } as unknown as Context
  return { context, stdout, stderr }
}

describe('keyshift agent: the command line', () => {
  let dir: string
  let configPath: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyshift-agent-'))
    configPath = join(dir, 'keyshift.yaml')
    await writeFile(
      configPath,
      agentYaml({ instanceUrl: 'https://acme.coupahost.com', exportAuth: 'api_key' }),
    )
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('parses --config, --check and --log-level; the environment fills in what flags leave out', () => {
    const { context } = capture({ ...ENV, KEYSHIFT_AGENT_CONFIG: '/etc/keyshift.yaml', LOG_LEVEL: 'warn' })
    const flags = parseCommandArgs(
      agentCommand,
      ['--config', 'a.yaml', '--check', '--log-level', 'debug'],
      PATH,
    )
    const fromFlags = agentOptionsFromArgs(context, flags, signals)
    assert.equal(fromFlags.configPath, 'a.yaml')
    assert.equal(fromFlags.check, true)
    assert.equal(fromFlags.logLevel, 'debug')
    const fromEnv = agentOptionsFromArgs(context, parseCommandArgs(agentCommand, [], PATH), signals)
    assert.equal(fromEnv.configPath, '/etc/keyshift.yaml')
    assert.equal(fromEnv.logLevel, 'warn')
    const defaults = agentOptionsFromArgs(
      capture({}).context,
      parseCommandArgs(agentCommand, [], PATH),
      signals,
    )
    assert.equal(defaults.configPath, './keyshift.yaml')
  })

  it('refuses an unknown log level with KS_USAGE', () => {
    const args = parseCommandArgs(agentCommand, ['--log-level', 'loud'], PATH)
    assert.throws(() => agentOptionsFromArgs(capture().context, args, signals), {
      code: 'KS_USAGE',
      message: "--log-level must be one of debug, info, warn, error, silent; run 'keyshift agent --help'",
    })
  })

  it('--check prints a summary without secrets and starts nothing', async () => {
    const { context, stdout } = capture()
    await agentCommand.run(context, parseCommandArgs(agentCommand, ['--config', configPath, '--check'], PATH))
    const text = stdout.join('')
    assert.match(text, /^configuration .*keyshift\.yaml is valid\n/)
    assert.match(text, /integration invoice-export → production {2}api_key\n/)
    assert.match(text, /integration suppliers → production {2}oauth \(client suppliers\)\n/)
    for (const secret of Object.values(ENV)) assert.ok(!text.includes(secret))
    const json = capture()
    await agentCommand.run(
      json.context,
      parseCommandArgs(agentCommand, ['--config', configPath, '--check', '--json'], PATH),
    )
    const summary = JSON.parse(json.stdout.join(''))
    assert.deepEqual(summary.integrations['invoice-export'], {
      instance: 'production',
      auth: 'api_key',
      client: 'erp',
    })
  })

  it('fails at start with KS_AGENT_CONFIG_INVALID, one line per problem, exit code 1', async () => {
    const { context, stderr } = capture({ ...ENV, EXPORT_LOCAL_SECRET: '' })
    const error = await agentCommand
      .run(context, parseCommandArgs(agentCommand, ['--config', configPath], PATH))
      .then(
        () => assert.fail('started'),
        (caught: unknown) => caught,
      )
    assert.equal(renderError(error, context), 1)
    assert.equal(
      stderr.join(''),
      `keyshift: KS_AGENT_CONFIG_INVALID: the configuration ${configPath} has 1 problem\n` +
        '  integrations.invoice-export.local_secret: environment variable EXPORT_LOCAL_SECRET is empty\n',
    )
  })

  it('has help that names its options and the environment', () => {
    const help = commandHelp(agentCommand, PATH)
    assert.match(help, /--config FILE/)
    assert.match(help, /KEYSHIFT_AGENT_CONFIG/)
    assert.match(help, /--check/)
  })
})
