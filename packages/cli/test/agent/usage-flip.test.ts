import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { after, afterEach, before, describe, it } from 'node:test'
import type { IntegrationUsage } from '../../src/agent/usage/report.ts'
import type { FakeInstance } from './fake-instance.ts'
import { agentYaml, bearer, call, ENV } from './helpers.ts'
import {
  closeAgents,
  FakeClock,
  fakeInstance,
  HOUR,
  newFolder,
  startIn,
  untilCounted,
  usageOf,
} from './usage-helpers.ts'

const EXPORT = bearer(ENV.EXPORT_LOCAL_SECRET)
const FINGERPRINT = createHash('sha256').update(ENV.EXPORT_API_KEY).digest('hex').slice(0, 12)

async function exportUsage(url: string): Promise<IntegrationUsage | undefined> {
  return (await usageOf(url)).integrations.find((entry) => entry.integration === 'invoice-export')
}

describe('keyshift agent: usage, each integration’s auth mode and its flip to OAuth', () => {
  let instance: FakeInstance
  let dir: string
  before(async () => {
    instance = await fakeInstance()
  })
  after(() => instance.close())
  afterEach(async () => {
    await closeAgents()
    await rm(dir, { recursive: true, force: true })
  })

  it('sets flipped_at when a reload moves an integration from api_key to oauth, and clears it on the way back', async () => {
    dir = await newFolder()
    const clock = new FakeClock()
    const yaml = (auth: 'oauth' | 'api_key') => agentYaml({ instanceUrl: instance.url, exportAuth: auth })
    const running = await startIn(dir, yaml('api_key'), { clock })
    assert.deepEqual(await exportUsage(running.url), {
      integration: 'invoice-export',
      instance: 'production',
      auth: 'api_key',
      client: null,
      key_fingerprint: FINGERPRINT,
      flipped_at: null,
      first_key_call_at: null,
      last_key_call_at: null,
      first_oauth_call_at: null,
      last_oauth_call_at: null,
    })
    await call(`${running.url}/invoice-export/api/invoices`, { headers: EXPORT })
    await untilCounted(running.url, 1)

    clock.advance(HOUR)
    await writeFile(running.configPath, yaml('oauth'))
    assert.equal(await running.agent.reload('test'), true)
    await call(`${running.url}/invoice-export/api/invoices`, { headers: EXPORT })
    await untilCounted(running.url, 2)
    assert.deepEqual(await exportUsage(running.url), {
      integration: 'invoice-export',
      instance: 'production',
      auth: 'oauth',
      client: 'erp',
      key_fingerprint: FINGERPRINT, // kept after the flip: the key is still to be revoked
      flipped_at: '2026-12-02T08:10:00.000Z',
      first_key_call_at: '2026-12-02T07:10:00.000Z',
      last_key_call_at: '2026-12-02T07:10:00.000Z',
      first_oauth_call_at: '2026-12-02T08:10:00.000Z',
      last_oauth_call_at: '2026-12-02T08:10:00.000Z',
    })

    clock.advance(HOUR)
    assert.equal(await running.agent.reload('SIGHUP'), true) // the same file again
    assert.equal((await exportUsage(running.url))?.flipped_at, '2026-12-02T08:10:00.000Z', 'the first flip')
    const suppliers = (await usageOf(running.url)).integrations.find((e) => e.integration === 'suppliers')
    assert.equal(suppliers?.flipped_at, null, 'always on oauth: never flipped')

    await writeFile(running.configPath, yaml('api_key'))
    await running.agent.reload('test')
    const back = await exportUsage(running.url)
    assert.equal(back?.auth, 'api_key')
    assert.equal(back?.flipped_at, null, 'back on the key: not flipped')
  })

  it('remembers the auth mode across a restart: a start on oauth after a run on api_key is the flip', async () => {
    dir = await newFolder()
    const clock = new FakeClock()
    const first = await startIn(dir, agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' }), {
      clock,
    })
    await first.close()
    clock.advance(HOUR)
    const second = await startIn(dir, agentYaml({ instanceUrl: instance.url, exportAuth: 'oauth' }), {
      clock,
    })
    const flipped = await exportUsage(second.url)
    assert.equal(flipped?.flipped_at, '2026-12-02T08:10:00.000Z')
    assert.equal(flipped?.key_fingerprint, FINGERPRINT)
  })
})
