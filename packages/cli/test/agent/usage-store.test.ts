import assert from 'node:assert/strict'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import type { AgentConfig } from '../../src/agent/config/types.ts'
import { AgentError } from '../../src/agent/errors.ts'
import type { IntegrationRoute } from '../../src/agent/state.ts'
import { createLogger } from '../../src/agent/telemetry/logger.ts'
import { MAX_PENDING_HOURS } from '../../src/agent/usage/counter.ts'
import { readUsageReport } from '../../src/agent/usage/store.ts'
import { createUsageTracker, type UsageTracker } from '../../src/agent/usage/tracker.ts'
import { agentYaml } from './helpers.ts'
import { closeAgents, FakeClock, newFolder, startIn, T0 } from './usage-helpers.ts'

const HOUR_LATER = 3_600_000

/** The part of a configuration the tracker reads. */
function configIn(stateDir: string): AgentConfig {
  return {
    stateDir,
    usage: { enabled: true, retentionDays: 90 },
    integrations: new Map(),
  } as unknown as AgentConfig
}

const route = { name: 'export', instance: 'production', auth: 'oauth' } as IntegrationRoute

describe('keyshift agent: the usage file', () => {
  let tracker: UsageTracker | undefined
  const dirs: string[] = []
  async function folder(): Promise<string> {
    const dir = await newFolder()
    dirs.push(dir)
    return dir
  }
  afterEach(async () => {
    tracker?.close()
    tracker = undefined
    await closeAgents()
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
  })

  it('writes at once, without waiting for the timer, when the counts in memory reach their bound', async () => {
    const stateDir = join(await folder(), 'state')
    const logger = createLogger({ write: () => {}, level: 'silent' })
    tracker = createUsageTracker({
      config: configIn(stateDir),
      clock: new FakeClock(),
      logger,
      flushIntervalMs: HOUR_LATER,
    })
    for (let i = 0; i < MAX_PENDING_HOURS - 1; i++) tracker.record(route, 'PUT', `/api/invoices/1/a${i}`, 200)
    assert.equal(readUsageReport(stateDir, { now: T0, retentionDays: 90 }).hours.length, 0, 'all pending')
    tracker.record(route, 'PUT', '/api/invoices/1/last', 200)
    const written = readUsageReport(stateDir, { now: T0, retentionDays: 90 })
    assert.equal(written.hours.length, MAX_PENDING_HOURS, 'flushed when full')
    assert.equal(tracker.report()?.hours.length, MAX_PENDING_HOURS)
  })

  it('stops the start with KS_AGENT_USAGE_UNAVAILABLE when state_dir cannot hold the file', async () => {
    const dir = await folder()
    await writeFile(join(dir, 'state'), 'a file where the folder should be')
    const yaml = agentYaml({ instanceUrl: 'http://127.0.0.1:9', exportAuth: 'api_key' })
    await assert.rejects(startIn(dir, yaml, { clock: new FakeClock() }), (error: unknown) => {
      assert.ok(error instanceof AgentError)
      assert.equal(error.agentCode, 'KS_AGENT_USAGE_UNAVAILABLE')
      assert.match(error.message, /^cannot use the usage file .*state\/usage\.sqlite \((EEXIST|ENOTDIR)\)$/)
      return true
    })
    const off = `${yaml}usage:\n  enabled: false\n`
    await startIn(dir, off, { clock: new FakeClock() }) // the way out the message gives
  })

  it('refuses a usage file written by a newer keyshift rather than changing it', async () => {
    const dir = await folder()
    const yaml = agentYaml({ instanceUrl: 'http://127.0.0.1:9', exportAuth: 'api_key' })
    const first = await startIn(dir, yaml, { clock: new FakeClock() })
    await first.close()
    const db = new Database(join(first.stateDir, 'usage.sqlite'))
    db.prepare("UPDATE meta SET value = '99' WHERE name = 'schema'").run()
    db.close()
    await assert.rejects(
      startIn(dir, yaml, { clock: new FakeClock() }),
      /written by a newer keyshift \(schema 99\)/,
    )
    assert.throws(() => readUsageReport(first.stateDir, { retentionDays: 90 }), {
      agentCode: 'KS_AGENT_USAGE_UNAVAILABLE',
    })
  })
})
