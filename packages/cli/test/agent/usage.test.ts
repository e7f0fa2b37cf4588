import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import { readUsageReport } from '../../src/agent/usage/store.ts'
import type { FakeInstance } from './fake-instance.ts'
import { agentYaml, bearer, call, ENV, waitFor } from './helpers.ts'
import {
  closeAgents,
  DAY,
  FakeClock,
  fakeInstance,
  HOUR,
  hourRows,
  newFolder,
  startIn,
  T0,
  untilCounted,
  usageOf,
} from './usage-helpers.ts'

const EXPORT = bearer(ENV.EXPORT_LOCAL_SECRET)
const SUPPLIERS = bearer(ENV.SUPPLIERS_LOCAL_SECRET)
/** No flush on a timer during a test unless it says so: the counts stay pending until close. */
const NO_TIMER = 3_600_000

describe('keyshift agent: usage, counted per hour × integration × auth × resource#action', () => {
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

  it('counts by resource, action, auth and hour, unflushed counts included, and keeps them across a restart', async () => {
    dir = await newFolder()
    const clock = new FakeClock()
    const yaml = agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' })
    let running = await startIn(dir, yaml, { clock, usageFlushMs: NO_TIMER })
    const { url } = running
    await call(`${url}/suppliers/api/suppliers?name=Acme`, { headers: SUPPLIERS })
    await call(`${url}/suppliers/api/suppliers/`, { headers: SUPPLIERS })
    await call(`${url}/suppliers/api/suppliers/5`, { headers: SUPPLIERS })
    await call(`${url}/invoice-export/api/invoices/12/void`, { method: 'PUT', headers: EXPORT })
    await call(`${url}/invoice-export/api/contracts/7/attachments`, { headers: EXPORT })
    await call(`${url}/payroll/api/invoices`, { headers: EXPORT }) // unknown integration: not proxied
    await call(`${url}/suppliers/oauth2/clients`, { headers: SUPPLIERS }) // outside /api: not proxied
    await untilCounted(url, 5)
    clock.advance(HOUR)
    await call(`${url}/suppliers/api/suppliers`, { headers: SUPPLIERS })
    const report = await untilCounted(url, 6)
    assert.deepEqual(hourRows(report), [
      ['2026-12-02T07:00:00.000Z', 'invoice-export', 'api_key', 'contracts', 'attachments', 1],
      ['2026-12-02T07:00:00.000Z', 'invoice-export', 'api_key', 'invoices', 'void', 1],
      ['2026-12-02T07:00:00.000Z', 'suppliers', 'oauth', 'suppliers', 'index', 2],
      ['2026-12-02T07:00:00.000Z', 'suppliers', 'oauth', 'suppliers', 'show', 1],
      ['2026-12-02T08:00:00.000Z', 'suppliers', 'oauth', 'suppliers', 'index', 1],
    ])
    assert.ok(report.hours.every((hour) => hour.instance === 'production'))
    assert.equal(report.generated_at, '2026-12-02T08:10:00.000Z')
    assert.equal(report.counting_since, '2026-12-02T07:10:00.000Z')
    assert.equal(report.retention_days, 90)
    const metrics = await call(`${url}/metrics`)
    assert.match(
      metrics.text,
      /^keyshift_agent_usage_calls_total\{instance="production",integration="suppliers",auth="oauth",resource="suppliers",action="index"\} 3$/m,
    )

    await running.close() // flushes
    running = await startIn(dir, yaml, { clock, usageFlushMs: NO_TIMER })
    await call(`${running.url}/suppliers/api/suppliers?page=2`, { headers: SUPPLIERS })
    const restarted = await untilCounted(running.url, 7)
    assert.deepEqual(hourRows(restarted).at(-1), [
      '2026-12-02T08:00:00.000Z',
      'suppliers',
      'oauth',
      'suppliers',
      'index',
      2,
    ])
    assert.equal(restarted.counting_since, '2026-12-02T07:10:00.000Z')
    const since = await usageOf(running.url, '?since=2026-12-02T08:30:00Z')
    assert.deepEqual(
      since.hours.map((hour) => hour.hour),
      ['2026-12-02T08:00:00.000Z'],
      'since keeps the hour that holds it',
    )
    const bad = await call(`${running.url}/v1/usage?since=yesterday`)
    assert.equal(bad.status, 400)
    assert.equal(bad.body.code, 'KS_AGENT_BAD_REQUEST')
    await running.close()
    const offline = readUsageReport(running.stateDir, { now: clock.now(), retentionDays: 90 })
    assert.deepEqual(offline.hours, restarted.hours, 'the file holds what the agent answered')
  })

  it('drops hourly counts older than retention_days when it flushes', async () => {
    dir = await newFolder()
    const clock = new FakeClock()
    const yaml = `${agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' })}usage:\n  retention_days: 2\n`
    const running = await startIn(dir, yaml, { clock, usageFlushMs: 20 })
    await call(`${running.url}/suppliers/api/suppliers`, { headers: SUPPLIERS })
    await untilCounted(running.url, 1)
    clock.advance(DAY)
    await call(`${running.url}/suppliers/api/suppliers/1`, { headers: SUPPLIERS })
    await untilCounted(running.url, 2)
    await waitFor(() => {
      // Read-only, beside the running agent: what a crash now would leave behind.
      const file = readUsageReport(running.stateDir, { now: clock.now(), retentionDays: 2 })
      return file.hours.length === 2
    })
    clock.advance(DAY + HOUR) // the first call's hour is now more than 2 days old
    const report = await untilCounted(running.url, 1)
    assert.deepEqual(hourRows(report), [
      ['2026-12-03T07:00:00.000Z', 'suppliers', 'oauth', 'suppliers', 'show', 1],
    ])
    await new Promise((resolve) => setTimeout(resolve, 100)) // a few flushes at the new time
    await running.close()
    const kept = readUsageReport(running.stateDir, { now: clock.now(), retentionDays: 3660 })
    assert.equal(kept.hours.length, 1, 'the old hour was deleted from the file, not only hidden')
    assert.equal(kept.counting_since, new Date(T0).toISOString())
  })

  it('keeps the 20 most recent calls of each API key, paths without their query, with their status', async () => {
    dir = await newFolder()
    const clock = new FakeClock()
    const yaml = agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' })
    const running = await startIn(dir, yaml, { clock, usageFlushMs: NO_TIMER })
    const search = 'ACME-CONFIDENTIAL-SEARCH'
    for (let i = 0; i < 22; i++) {
      await call(`${running.url}/invoice-export/api/invoices/${i}?invoice-number=${search}`, {
        headers: EXPORT,
      })
      clock.advance(1000)
    }
    instance.intercept = (req, res) => {
      if (!req.url?.startsWith('/api/gone')) return false
      res.writeHead(404).end()
      return true
    }
    await call(`${running.url}/invoice-export/api/gone?q=${search}`, { method: 'POST', headers: EXPORT })
    instance.intercept = undefined
    const report = await untilCounted(running.url, 23)
    const fingerprint = createHash('sha256').update(ENV.EXPORT_API_KEY).digest('hex').slice(0, 12)
    assert.equal(report.keys.length, 1)
    const key = report.keys[0]
    assert.equal(key?.key_fingerprint, fingerprint)
    assert.deepEqual(key?.integrations, ['invoice-export'])
    assert.equal(key?.first_call_at, '2026-12-02T07:10:00.000Z')
    assert.equal(key?.last_call_at, '2026-12-02T07:10:22.000Z')
    assert.equal(key?.recent_calls.length, 20)
    assert.deepEqual(key?.recent_calls[0], {
      at: '2026-12-02T07:10:22.000Z',
      integration: 'invoice-export',
      method: 'POST',
      path: '/api/gone',
      status: 404,
    })
    assert.deepEqual(key?.recent_calls[1], {
      at: '2026-12-02T07:10:21.000Z',
      integration: 'invoice-export',
      method: 'GET',
      path: '/api/invoices/21',
      status: 200,
    })
    assert.equal(key?.recent_calls.at(-1)?.path, '/api/invoices/3', 'the oldest two fell out')
    const integration = report.integrations.find((entry) => entry.integration === 'invoice-export')
    assert.equal(integration?.key_fingerprint, fingerprint)
    assert.equal(integration?.first_key_call_at, '2026-12-02T07:10:00.000Z')
    assert.equal(integration?.last_key_call_at, '2026-12-02T07:10:22.000Z')
    assert.equal(integration?.first_oauth_call_at, null)
    const before = await call(`${running.url}/v1/usage`)
    await running.close()
    const after = readUsageReport(running.stateDir, { now: clock.now(), retentionDays: 90 })
    assert.deepEqual(after.keys, report.keys, 'the same once written to the file')

    const fullHash = createHash('sha256').update(ENV.EXPORT_API_KEY).digest()
    const forbidden = [ENV.EXPORT_API_KEY, fullHash.toString('hex'), search]
    for (const text of forbidden) assert.ok(!before.text.includes(text), 'not in /v1/usage')
    const files = readdirSync(running.stateDir)
    assert.ok(files.includes('usage.sqlite'))
    for (const file of files) {
      const bytes = readFileSync(join(running.stateDir, file))
      for (const text of forbidden) assert.equal(bytes.includes(text), false, `${file}`)
      assert.equal(bytes.includes(fullHash), false, `${file} holds the key's raw digest`)
    }
  })

  it('counts nothing with usage.enabled: false, and says so on /v1/usage', async () => {
    dir = await newFolder()
    const yaml = `${agentYaml({ instanceUrl: instance.url, exportAuth: 'api_key' })}usage:\n  enabled: false\n`
    const running = await startIn(dir, yaml, { clock: new FakeClock(), usageFlushMs: 20 })
    const proxied = await call(`${running.url}/suppliers/api/suppliers`, { headers: SUPPLIERS })
    assert.equal(proxied.status, 200)
    const answer = await call(`${running.url}/v1/usage`)
    assert.equal(answer.status, 404)
    assert.deepEqual(answer.body, {
      code: 'KS_AGENT_USAGE_DISABLED',
      message: 'usage counting is off (usage.enabled: false in the configuration): nothing is counted',
    })
    const metrics = await call(`${running.url}/metrics`)
    assert.doesNotMatch(metrics.text, /^keyshift_agent_usage_calls_total\{/m)
    await running.close()
    assert.equal(existsSync(join(running.stateDir, 'usage.sqlite')), false, 'no usage file')
    const empty = readUsageReport(running.stateDir, { now: T0, retentionDays: 90 })
    assert.deepEqual(empty, {
      generated_at: '2026-12-02T07:10:00.000Z',
      counting_since: null,
      retention_days: 90,
      integrations: [],
      keys: [],
      hours: [],
    })
  })
})
