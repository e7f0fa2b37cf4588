import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { Command, CommandGroup } from '../src/command.ts'
import { CliError } from '../src/errors.ts'
import { main, renderError, rootGroup } from '../src/main.ts'
import { run } from './helpers.ts'

/** Every command and group of the tree with its full path. */
function allNodes(group: CommandGroup, path = 'keyshift'): [string, Command | CommandGroup][] {
  return group.commands.flatMap((node): [string, Command | CommandGroup][] => {
    const nodePath = `${path} ${node.name}`
    return node.kind === 'group' ? [[nodePath, node], ...allNodes(node, nodePath)] : [[nodePath, node]]
  })
}

describe('keyshift: commands and help', () => {
  it('lists the commands with --help and exits 0', async () => {
    const result = await run(['--help'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /^Usage: keyshift <command> \[options\]/)
    for (const name of ['serve', 'token', 'call', 'postman', 'admin', 'keys', 'demo'])
      assert.match(result.stdout, new RegExp(`\\n  ${name} `))
    assert.equal(result.stderr, '')
  })

  it('has the command tree of the brief', () => {
    const paths = allNodes(rootGroup).map(([path]) => path)
    for (const sub of ['create', 'list', 'show', 'update', 'activate', 'deactivate', 'rotate-secret']) {
      assert.ok(paths.includes(`keyshift admin clients ${sub}`), sub)
    }
    for (const sub of ['create', 'list', 'show', 'revoke']) {
      assert.ok(paths.includes(`keyshift admin api-keys ${sub}`), sub)
    }
    for (const path of [
      'keyshift admin scopes',
      'keyshift demo generate',
      'keyshift keys list',
      'keyshift keys rotate',
      'keyshift postman',
      'keyshift serve',
      'keyshift transition review',
      'keyshift transition plan',
      'keyshift transition apply',
      'keyshift transition status',
      'keyshift transition revoke',
    ]) {
      assert.ok(paths.includes(path), path)
    }
  })

  for (const [path, node] of allNodes(rootGroup)) {
    const argv = path.split(' ').slice(1)
    it(`${path} --help prints its usage and exits 0`, async () => {
      const result = await run([...argv, '--help'])
      assert.equal(result.code, 0, result.stderr)
      assert.ok(result.stdout.startsWith(`Usage: ${path} `), result.stdout)
      if (node.kind === 'command' && !node.passThrough) assert.match(result.stdout, /--json /)
      assert.equal(result.stderr, '')
    })

    it(`${path} --help --json describes it as JSON`, async () => {
      const result = await run([...argv, '--help', '--json'])
      assert.equal(result.code, 0)
      const help = JSON.parse(result.stdout) as { command: string; options?: { name: string }[] }
      assert.equal(help.command, path)
      if (node.kind === 'command') assert.ok(help.options?.some((o) => o.name === '--help'))
    })
  }

  it('prints the package version with --version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    const result = await run(['--version'])
    assert.deepEqual(result, { code: 0, stdout: `${pkg.version}\n`, stderr: '' })
  })
})

describe('keyshift: usage errors exit 2 with KS_USAGE', () => {
  it('rejects a missing command', async () => {
    const result = await run([])
    assert.equal(result.code, 2)
    assert.equal(
      result.stderr,
      "keyshift: KS_USAGE: missing command: expected one of init, serve, token, call, postman, agent, admin, transition, keys, demo; run 'keyshift --help'\n",
    )
  })

  it('rejects an unknown command of a group', async () => {
    const result = await run(['admin', 'clients', 'remove'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^keyshift: KS_USAGE: unknown command 'remove' for 'keyshift admin clients'/)
  })

  it('rejects an unknown option without echoing its value', async () => {
    const result = await run(['admin', 'clients', 'list', '--pasword=hunter2-secret'])
    assert.equal(result.code, 2)
    assert.equal(
      result.stderr,
      "keyshift: KS_USAGE: unknown option '--pasword'; run 'keyshift admin clients list --help'\n",
    )
  })

  it('rejects a stray argument without echoing it', async () => {
    const result = await run(['admin', 'clients', 'list', 'hunter2-secret'])
    assert.equal(result.code, 2)
    assert.doesNotMatch(result.stderr, /hunter2/)
    assert.match(
      result.stderr,
      /KS_USAGE: too many arguments: 'keyshift admin clients list' takes no arguments/,
    )
  })

  it('asks for the <id> of a client command', async () => {
    const result = await run(['admin', 'clients', 'show'])
    assert.equal(result.code, 2)
    assert.equal(
      result.stderr,
      "keyshift: KS_USAGE: missing <id>; run 'keyshift admin clients show --help'\n",
    )
  })

  it('says which option lacks its value', async () => {
    const result = await run(['token', '--url'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /KS_USAGE: option '--url' needs a value/)
  })

  it('rejects a value for a boolean option', async () => {
    const result = await run(['token', '--basic=yes'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /KS_USAGE: option '--basic' does not take a value/)
  })
})

describe('keyshift: error rendering', () => {
  it('renders an unexpected error as KS_INTERNAL with exit code 1', () => {
    let stderr = ''
    const io = { stdout: () => {}, stderr: (text: string) => (stderr += text) }
    const code = renderError(new Error('boom'), { ...contextStub(), io })
    assert.equal(code, 1)
    assert.equal(stderr, 'keyshift: KS_INTERNAL: boom\n')
  })

  it('prints the causes only with KEYSHIFT_DEBUG', async () => {
    const cause = new Error('the root cause')
    const failing = async () => {
      throw new CliError('KS_SERVE_FAILED', 'outer', { cause })
    }
    const plain = await run(['serve'], {}, { loadServer: async () => failing })
    assert.equal(plain.stderr, 'keyshift: KS_SERVE_FAILED: outer\n')
    const debug = await run(['serve'], { KEYSHIFT_DEBUG: '1' }, { loadServer: async () => failing })
    assert.match(debug.stderr, /caused by: Error: the root cause/)
  })

  it('main resolves with the exit code and never exits the process', async () => {
    assert.equal(await main(['--help'], {}, { io: { stdout: () => {}, stderr: () => {} } }), 0)
    assert.equal(await main(['nope'], {}, { io: { stdout: () => {}, stderr: () => {} } }), 2)
  })
})

function contextStub() {
  return {
    env: {},
    io: { stdout: () => {}, stderr: () => {} },
    fetch: globalThis.fetch,
    connect: () => globalThis.fetch,
    now: () => new Date(0),
    loadServer: async () => async () => {},
    loadDemoGenerate: async () => async () => {},
  }
}
