import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { IntegrationUsage, UsageHour, UsageReport } from '../src/agent/usage/report.ts'
import { formatObservedPlan, formatObservedStatus } from '../src/transition/observed/render.ts'
import {
  DAY,
  type ObservedInstance,
  observedPlan,
  observedReview,
  observedStatus,
  observedVerify,
} from '../src/transition/observed/reports.ts'

/** A fixed "now", so no test depends on the day it runs. */
const NOW = Date.parse('2031-03-15T12:30:00.000Z')
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString()
const hourOf = (msAgo: number) => {
  const time = NOW - msAgo
  return new Date(time - (time % 3_600_000)).toISOString()
}

function hour(
  integration: string,
  resource: string,
  action: string,
  calls: number,
  daysAgo = 0,
  auth: 'api_key' | 'oauth' = 'api_key',
): UsageHour {
  return { hour: hourOf(daysAgo * DAY), instance: 'prod', integration, auth, resource, action, calls }
}

function record(integration: string, fields: Partial<IntegrationUsage>): IntegrationUsage {
  return {
    integration,
    instance: 'prod',
    auth: 'api_key',
    client: null,
    key_fingerprint: null,
    flipped_at: null,
    first_key_call_at: null,
    last_key_call_at: null,
    first_oauth_call_at: null,
    last_oauth_call_at: null,
    ...fields,
  }
}

function observed(report: Partial<UsageReport>, config: Partial<ObservedInstance> = {}): ObservedInstance {
  return {
    instance: 'prod',
    source: 'agent',
    now: NOW,
    integrations: [],
    clients: [],
    report: {
      generated_at: at(0),
      counting_since: at(40 * DAY),
      retention_days: 90,
      integrations: [],
      keys: [],
      hours: [],
      ...report,
    },
    ...config,
  }
}

describe('transition from the agent usage: review', () => {
  it('counts calls by auth mode over 1/7/30 days, to the hour, and tells master data from transactional', () => {
    const review = observedReview(
      observed(
        {
          hours: [
            hour('sync', 'suppliers', 'index', 5, 0),
            hour('sync', 'suppliers', 'update', 2, 3),
            hour('sync', 'suppliers', 'index', 7, 20),
            hour('sync', 'suppliers', 'index', 100, 31), // older than 30 days: not counted
            hour('sync', 'suppliers', 'index', 4, 0, 'oauth'),
            hour('export', 'invoices', 'index', 3, 1),
            hour('export', 'suppliers', 'show', 1, 1),
            hour('other-instance', 'invoices', 'index', 9, 0),
          ],
          integrations: [record('sync', { key_fingerprint: 'aaaaaaaaaaaa', last_key_call_at: at(60_000) })],
        },
        {
          integrations: [
            { name: 'sync', auth: 'api_key', client: undefined },
            { name: 'export', auth: 'api_key', client: undefined },
            { name: 'idle', auth: 'api_key', client: undefined },
          ],
        },
      ),
    )
    const [sync, exporter, idle] = review.integrations
    assert.deepEqual(sync?.calls.api_key, { last_1d: 5, last_7d: 7, last_30d: 14 })
    assert.deepEqual(sync?.calls.oauth, { last_1d: 4, last_7d: 4, last_30d: 4 })
    assert.equal(sync?.category, 'master_data')
    assert.equal(sync?.key_fingerprint, 'aaaaaaaaaaaa')
    assert.deepEqual(sync?.usage[0], {
      resource: 'suppliers',
      action: 'index',
      scope: 'core.supplier.read',
      calls_30d: 16,
    })
    assert.equal(exporter?.category, 'both')
    assert.equal(idle?.category, 'unused')
  })
})

describe('transition from the agent usage: plan', () => {
  const integrations = [
    { name: 'sync', auth: 'api_key' as const, client: undefined },
    { name: 'export', auth: 'api_key' as const, client: undefined },
    { name: 'moved', auth: 'oauth' as const, client: 'moved' },
    { name: 'idle', auth: 'api_key' as const, client: undefined },
  ]
  const hours = [
    hour('sync', 'suppliers', 'index', 5),
    hour('sync', 'users', 'show', 1),
    hour('export', 'invoices', 'index', 3),
    hour('export', 'invoices', 'void', 1),
    hour('export', 'projects', 'index', 2), // a Coupa resource Keyshift's catalogue does not know
    hour('export', 'invoices', 'show', 9, 0, 'oauth'), // OAuth calls do not widen the key's plan
  ]

  it('proposes the scopes of the calls made with the key, phase 1 for master data, and the steps in Coupa', () => {
    const plan = observedPlan(observed({ hours }, { integrations }))
    const byName = Object.fromEntries(plan.integrations.map((entry) => [entry.integration, entry]))
    assert.deepEqual(byName.sync?.scopes, ['core.supplier.read', 'core.user.read'])
    assert.equal(byName.sync?.phase, 1)
    assert.equal(byName.sync?.action, 'create_client')
    assert.equal(byName.sync?.secret_variable, 'PROD_SYNC_CLIENT_SECRET')
    assert.deepEqual(byName.export?.scopes, ['core.invoice.delete', 'core.invoice.read'])
    assert.deepEqual(byName.export?.unknown, ['projects#index'])
    assert.equal(byName.export?.phase, 2)
    assert.equal(byName.moved?.action, 'moved')
    assert.equal(byName.idle?.action, 'unused')
    assert.deepEqual(
      plan.integrations.map((entry) => entry.integration),
      ['sync', 'export', 'idle', 'moved'],
    )
    const text = formatObservedPlan(plan)
    assert.match(text, /sync: create client, phase 1 \(master data\)/)
    assert.match(text, /Tick these scopes: core\.supplier\.read, core\.user\.read/)
    assert.match(text, /scope list the scopes for: projects#index/)
    assert.match(text, /client_secret: \$\{PROD_SYNC_CLIENT_SECRET\}/)
  })

  it('proposes a client of the configuration whose scopes cover the calls, the narrowest first', () => {
    const clients = [
      { name: 'everything', scopes: ['core.supplier.read', 'core.user.read', 'core.invoice.read'] },
      { name: 'erp', scopes: ['core.supplier.read', 'core.user.read'] },
      { name: 'sync', scopes: ['core.supplier.read'] },
    ]
    const plan = observedPlan(observed({ hours }, { integrations, clients }))
    const sync = plan.integrations.find((entry) => entry.integration === 'sync')
    assert.equal(sync?.action, 'use_client')
    assert.equal(sync?.client, 'erp')
    const exporter = plan.integrations.find((entry) => entry.integration === 'export')
    assert.equal(exporter?.action, 'create_client')
    assert.equal(exporter?.client, 'export')
  })

  it('says "not seen" rather than "unused" before the agent has counted for 30 days', () => {
    const plan = observedPlan(
      observed({ hours: [], counting_since: at(2 * DAY) }, { integrations: [integrations[3] as never] }),
    )
    assert.equal(plan.integrations[0]?.action, 'not_seen')
  })
})

describe('transition from the agent usage: status and verify', () => {
  const QUIET = 3600
  const flippedAt = at(3 * 3_600_000)
  const key = 'bbbbbbbbbbbb'
  const moved = record('sync', {
    auth: 'oauth',
    client: 'sync',
    key_fingerprint: key,
    flipped_at: flippedAt,
    first_oauth_call_at: at(3 * 3_600_000 - 60_000),
    last_key_call_at: at(4 * 3_600_000),
  })
  const integrations = [{ name: 'sync', auth: 'oauth' as const, client: 'sync' }]
  const keyUsage = (lastAgo: number, recent: Array<{ ago: number; integration: string; path: string }>) => [
    {
      key_fingerprint: key,
      integrations: ['sync'],
      first_call_at: at(20 * DAY),
      last_call_at: at(lastAgo),
      recent_calls: recent.map((call) => ({
        at: at(call.ago),
        integration: call.integration,
        method: 'GET',
        path: call.path,
        status: 200,
      })),
    },
  ]

  it('is ready to revoke once no call used the key for the quiet period after the move', () => {
    const status = observedStatus(
      observed({ integrations: [moved], keys: keyUsage(4 * 3_600_000, []) }, { integrations }),
      QUIET,
    )
    const entry = status.integrations[0]
    assert.equal(entry?.state, 'ready_to_revoke')
    // the latest of the move and the first OAuth call, plus the quiet period
    assert.equal(entry?.ready_at, at(3 * 3_600_000 - 60_000 - QUIET * 1000))
    assert.match(formatObservedStatus(status), /sync\s+ready_to_revoke\s+bbbbbbbbbbbb\s+sync/)
  })

  it('is not ready while the quiet period runs, nor while another integration uses the key', () => {
    const recent = observed({ integrations: [moved], keys: keyUsage(10 * 60_000, []) }, { integrations })
    const waiting = observedStatus(recent, QUIET).integrations[0]
    assert.equal(waiting?.state, 'oauth')
    assert.match(waiting?.reason ?? '', /a call with the key after the move/)
    const shared = observed(
      { integrations: [moved, record('cron', { key_fingerprint: key })], keys: keyUsage(4 * 3_600_000, []) },
      { integrations: [...integrations, { name: 'cron', auth: 'api_key', client: undefined }] },
    )
    const byName = Object.fromEntries(
      observedStatus(shared, QUIET).integrations.map((entry) => [entry.integration, entry]),
    )
    assert.equal(byName.sync?.state, 'oauth')
    assert.match(byName.sync?.reason ?? '', /still used by cron/)
    assert.equal(byName.cron?.state, 'api_key')
  })

  it('calls an integration unused after 30 days without a key call, once the agent has counted that long', () => {
    const idle = record('idle', { key_fingerprint: 'cccccccccccc', last_key_call_at: at(31 * DAY) })
    const status = observedStatus(
      observed(
        { integrations: [idle] },
        { integrations: [{ name: 'idle', auth: 'api_key', client: undefined }] },
      ),
      QUIET,
    )
    assert.equal(status.integrations[0]?.state, 'unused')
  })

  it('verify reports each call with the key after the move, with its path and time, and nothing before', () => {
    const report = {
      integrations: [moved],
      keys: keyUsage(60_000, [
        { ago: 60_000, integration: 'cron', path: '/api/suppliers/2' },
        { ago: 5 * 3_600_000, integration: 'sync', path: '/api/suppliers' },
      ]),
    }
    const verify = observedVerify(observed(report, { integrations }))
    assert.equal(verify.regressions.length, 1)
    assert.deepEqual(
      {
        at: verify.regressions[0]?.at,
        integration: verify.regressions[0]?.integration,
        path: verify.regressions[0]?.path,
      },
      { at: at(60_000), integration: 'cron', path: '/api/suppliers/2' },
    )
  })
})

describe('transition verify on a Keyshift instance', () => {
  it('lists the keys still migrating whose last call came after their client first call, not the settled ones', async () => {
    const { keyshiftVerify } = await import('../src/transition/verify.ts')
    const key = (
      name: string,
      state: 'in_use' | 'migrating' | 'ready_to_revoke' | 'revoked',
      first: string | null,
      last: string | null,
    ) => ({
      api_key_id: `${name}-id`,
      api_key_name: name,
      state,
      replacement_client_id: null,
      replacement_client_name: null,
      first_oauth_call_at: first,
      last_key_call_at: last,
      ready_at: null,
      reason: '',
    })
    const verify = keyshiftVerify({
      generated_at: at(0),
      quiet_period_seconds: 604_800,
      keys: [
        key('moving', 'migrating', at(3 * DAY), at(DAY)),
        key('quiet', 'migrating', at(DAY), at(3 * DAY)),
        key('settled', 'ready_to_revoke', at(20 * DAY), at(19 * DAY)),
        key('old', 'in_use', null, at(DAY)),
      ],
    })
    assert.deepEqual(
      verify.regressions.map((entry) => entry.api_key_name),
      ['moving'],
    )
  })
})
