import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { parse, parseDocument } from 'yaml'
import { freePort, keyshift, type RunningAgent, startAgent, waitFor } from './support/agent.ts'
import { type ServedInstance, serve } from './support/serve.ts'

const ADMIN_PASSWORD = 'e2e transition admin password'
const adminHeaders = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` }

interface Key {
  id: string
  key: string
}

/**
 * The must-show scenario of the transition: three legacy keys (master-data sync, invoice export,
 * one unused) on a real instance; review, plan, apply; traffic moved phase by phase through a real
 * agent; status walks each key to ready_to_revoke; revoke leaves no integration failing, and the
 * unused key goes first.
 */
describe('the transition from API keys to OAuth clients, end to end', () => {
  let instance: ServedInstance
  let dir: string
  let agent: RunningAgent | undefined
  const keys: Record<'sync' | 'export' | 'unused', Key> = {} as never
  const cli = (args: string[]) =>
    keyshift(['transition', ...args, '--url', instance.url], { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD })
  const direct = (key: Key, method: string, path: string, body?: string) =>
    fetch(`${instance.url}${path}`, {
      method,
      headers: {
        'x-coupa-api-key': key.key,
        accept: 'application/json',
        ...(body && { 'content-type': 'application/json' }),
      },
      ...(body && { body }),
    })

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyshift-transition-e2e-'))
    instance = await serve(['--demo', '--api-rate-limit', 'off'], {
      env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD },
    })
    for (const [name, label, login] of [
      ['sync', 'Master data sync', 'mdsync'],
      ['export', 'Invoice export', 'export'],
      ['unused', 'Old report', 'report'],
    ] as const) {
      const created = await keyshift(
        [
          'admin',
          'api-keys',
          'create',
          '--name',
          label,
          '--contact-login',
          login,
          '--contact-email',
          `${login}@example.com`,
          '--url',
          instance.url,
          '--json',
        ],
        { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD },
      )
      assert.equal(created.code, 0, created.stderr)
      const body = JSON.parse(created.stdout)
      keys[name] = { id: body.id, key: body.key }
    }
  })

  after(async () => {
    await agent?.stop()
    await instance?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('reviews the keys by what their traffic touched', async () => {
    for (let i = 0; i < 3; i++)
      assert.equal((await direct(keys.sync, 'GET', '/api/suppliers?limit=5')).status, 200)
    assert.equal(
      (await direct(keys.sync, 'PUT', '/api/suppliers/1', '{"po-email":"ap@example.com"}')).status,
      200,
    )
    for (let i = 0; i < 3; i++)
      assert.equal((await direct(keys.export, 'GET', '/api/invoices?status=approved&limit=5')).status, 200)
    assert.equal((await direct(keys.export, 'PUT', '/api/invoices/2?exported=true', '{}')).status, 200)

    let review: { api_keys: Array<{ id: string; category: string; calls: { last_1d: number } }> } = {
      api_keys: [],
    }
    await waitFor(
      async () => {
        const result = await cli(['review', '--json'])
        review = JSON.parse(result.stdout)
        return review.api_keys.find((k) => k.id === keys.export.id)?.calls.last_1d === 4
      },
      () => instance.output(),
    )
    const category = (key: Key) => review.api_keys.find((k) => k.id === key.id)?.category
    assert.equal(category(keys.sync), 'master_data')
    assert.equal(category(keys.export), 'transactional')
    assert.equal(category(keys.unused), 'unused')
  })

  it('plans exactly the scopes the calls needed, in phases, and revokes the unused key first', async () => {
    const plan = await cli(['plan', '--out', join(dir, 'plan.yaml')])
    assert.equal(plan.code, 0, plan.stderr)
    const file = parse(await readFile(join(dir, 'plan.yaml'), 'utf8'))
    const entry = (key: Key) => file.keys.find((k: { api_key_id: string }) => k.api_key_id === key.id)
    assert.deepEqual(entry(keys.sync).scopes, ['core.supplier.read', 'core.supplier.write'])
    assert.equal(entry(keys.sync).phase, 1)
    assert.deepEqual(entry(keys.export).scopes, ['core.invoice.read', 'core.invoice.write'])
    assert.equal(entry(keys.export).phase, 2)
    assert.equal(entry(keys.unused).action, 'revoke')
    // The demo's own keys (a transition under way) are left out of this plan, as a user edits it.
    const ours = new Set(Object.values(keys).map((key) => key.id))
    const document = parseDocument(await readFile(join(dir, 'plan.yaml'), 'utf8'))
    const entries = document.get('keys') as { items: Array<{ get(key: string): unknown }> }
    entries.items = entries.items.filter((item) => ours.has(item.get('api_key_id') as string))
    await writeFile(join(dir, 'plan.yaml'), document.toString())

    const revoked = await cli(['revoke', keys.unused.id])
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.equal((await direct(keys.unused, 'GET', '/api/suppliers/1')).status, 401)
  })

  it('applies the plan, moves traffic phase by phase through the agent, and revokes with no failing call', async () => {
    const settings = await fetch(`${instance.url}/admin/v1/transition/settings`, {
      method: 'PUT',
      headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ quiet_period_seconds: 2 }),
    })
    assert.equal(settings.status, 200, await settings.text())

    const port = await freePort()
    const agentUrl = `http://127.0.0.1:${port}`
    const config = join(dir, 'keyshift.yaml')
    await writeFile(
      config,
      `# the agent in front of the test instance\nlisten: 127.0.0.1:${port}\nstate_dir: ${join(dir, 'state')}\ninstances:\n  local:\n    url: ${instance.url}\n    clients: {}\nintegrations: {}\n`,
    )
    const secretsFile = join(dir, 'secrets.env')
    const applied = await cli([
      'apply',
      '--plan',
      join(dir, 'plan.yaml'),
      '--agent-config',
      config,
      '--instance',
      'local',
      '--secrets-file',
      secretsFile,
    ])
    assert.equal(applied.code, 0, `${applied.stdout}\n${applied.stderr}`)
    assert.equal((await stat(secretsFile)).mode & 0o777, 0o600)

    const agentConfig = parse(await readFile(config, 'utf8'))
    const integrations = Object.keys(agentConfig.integrations).sort()
    assert.equal(integrations.length, 2)
    const env: Record<string, string> = {}
    for (const line of (await readFile(secretsFile, 'utf8')).split('\n')) {
      const [name, ...value] = line.split('=')
      if (name && value.length) env[name] = value.join('=')
    }
    const locals: Record<string, string> = {}
    for (const name of integrations) {
      const prefix = name.toUpperCase().replace(/-/g, '_')
      env[`${prefix}_API_KEY`] = name.includes('sync') ? keys.sync.key : keys.export.key
      locals[name] = randomBytes(16).toString('hex')
      env[`${prefix}_LOCAL_SECRET`] = locals[name] as string
    }
    agent = await startAgent(config, agentUrl, env)

    const sync = integrations.find((n) => n.includes('sync')) as string
    const exporter = integrations.find((n) => n.includes('export')) as string
    const failures: string[] = []
    let calls = 0
    let running = true
    const traffic = async (integration: string, path: string) => {
      while (running) {
        const response = await fetch(`${agentUrl}/${integration}${path}`, {
          headers: { authorization: `Bearer ${locals[integration]}`, accept: 'application/json' },
        })
        await response.arrayBuffer()
        calls++
        if (response.status !== 200) failures.push(`${integration} ${response.status}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
    const loops = [
      traffic(sync, '/api/suppliers?limit=5'),
      traffic(exporter, '/api/invoices?status=approved&limit=5'),
    ]
    const flip = async (integration: string) => {
      const document = parseDocument(await readFile(config, 'utf8'))
      document.setIn(['integrations', integration, 'auth'], 'oauth')
      await writeFile(config, document.toString())
    }
    const stateOf = async (key: Key) => {
      const status = JSON.parse((await cli(['status', '--json'])).stdout)
      return status.keys.find((k: { api_key_id: string }) => k.api_key_id === key.id)?.state
    }
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      assert.equal(await stateOf(keys.sync), 'in_use')
      // Phase 1: master data.
      await flip(sync)
      await waitFor(
        async () => (await stateOf(keys.sync)) === 'ready_to_revoke',
        () => agent?.output() ?? '',
        40_000,
      )
      assert.equal(await stateOf(keys.export), 'in_use')
      // Phase 2: transactional.
      await flip(exporter)
      await waitFor(
        async () => (await stateOf(keys.export)) === 'ready_to_revoke',
        () => agent?.output() ?? '',
        40_000,
      )
      const revoked = await cli(['revoke', keys.sync.id, keys.export.id])
      assert.equal(revoked.code, 0, revoked.stderr)
      await new Promise((resolve) => setTimeout(resolve, 1000))
    } finally {
      running = false
      await Promise.all(loops)
    }
    assert.deepEqual(failures, [])
    assert.ok(calls > 50, `only ${calls} calls`)
    assert.equal(await stateOf(keys.sync), 'revoked')
    assert.equal(await stateOf(keys.export), 'revoked')

    const auditResponse = await fetch(`${instance.url}/admin/v1/transition/audit`, { headers: adminHeaders })
    const audit = (await auditResponse.json()) as { entries: Array<{ subject_id: string }> }
    // The unused key went first; then the two that were ready.
    const ours = new Set(Object.values(keys).map((key) => key.id))
    const revokedIds = audit.entries.map((e) => e.subject_id).filter((id) => ours.has(id))
    assert.equal(revokedIds[0], keys.unused.id)
    assert.deepEqual(revokedIds.slice(1).sort(), [keys.sync.id, keys.export.id].sort())
  })
})
