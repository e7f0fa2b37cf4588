/**
 * A transition under way on the demo instance (`npm start`, docs/TRANSITION.md): four legacy API
 * keys made long ago, with 30 days of usage-ledger history written through the store's ledger API,
 * one in each situation the reports tell apart:
 * - `Supplier sync`: in use, no OAuth client yet (the plan makes one);
 * - `Invoice export`: migrating, its client has called for 5 days and the key is still called;
 * - `Expense report sync`: ready to revoke, its client took over 16 days ago, the key quiet since 15;
 * - `Old report`: unused, no call in the 30 days counted.
 * Times come from the clock given. The keys go to a 0600 file in the data folder, never to stdout.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ApiKeyInput, ApiKeyService } from './api-keys/service.ts'
import type { ClientService } from './clients/service.ts'
import type { Clock } from './contract/clock.ts'
import { type DemoCalls, demoHistory } from './demo-usage.ts'
import type { Store } from './store/store.ts'
import { COUNTED_SINCE_SETTING } from './transition/snapshot.ts'
import { DAY, startOfHour } from './transition/time.ts'

export const DEMO_API_KEYS_FILE = 'demo-api-keys.txt'
/** Days of hourly counts the demo writes; counting "began" then. */
const HISTORY_DAYS = 30

export interface DemoTransitionOptions {
  store: Pick<Store, 'listApiKeys' | 'addUsage' | 'upsertPrincipalUse' | 'getSetting' | 'setSetting'>
  apiKeys: Pick<ApiKeyService, 'create' | 'setReplacement'>
  clients: Pick<ClientService, 'create'>
  clock: Clock
  dataDir: string
}

export interface DemoTransition {
  /** The file holding the demo keys (mode 0600), when it exists. */
  keysFile: string | undefined
}

interface DemoKey {
  input: ApiKeyInput
  createdDaysAgo: number
  calls?: DemoCalls
  client?: { name: string; login: string; scopes: string[]; createdDaysAgo: number; calls: DemoCalls }
}

const office = Array.from({ length: 10 }, (_, i) => 8 + i)
const DEMO_KEYS: DemoKey[] = [
  {
    input: contact('Supplier sync', 'Supplier master data from the ERP, every hour', 'Grace', 'Hopper'),
    createdDaysAgo: 700,
    calls: calls(
      [
        ['suppliers', 'index', 2, 6],
        ['suppliers', 'show', 0, 3],
        ['suppliers', 'update', 0, 1],
      ],
      {
        hours: Array.from({ length: 13 }, (_, i) => 6 + i),
        fromDaysAgo: HISTORY_DAYS,
        agent: 'ERP-Connector/4.2',
        address: '10.20.0.14',
      },
    ),
  },
  {
    input: contact('Invoice export', 'Nightly export of approved invoices to accounting', 'Ada', 'Lovelace'),
    createdDaysAgo: 540,
    calls: calls(
      [
        ['invoices', 'index', 3, 8],
        ['invoices', 'show', 5, 20],
      ],
      {
        hours: [1, 2, 3],
        fromDaysAgo: HISTORY_DAYS,
        agent: 'invoice-export/1.9 (cron)',
        address: '10.20.0.31',
      },
    ),
    client: {
      name: 'Invoice export',
      login: 'invoice-export',
      scopes: ['core.invoice.read'],
      createdDaysAgo: 6,
      calls: calls(
        [
          ['invoices', 'index', 3, 8],
          ['invoices', 'show', 5, 20],
        ],
        {
          hours: [2, 3, 4],
          fromDaysAgo: 5,
          agent: 'invoice-export/2.0 (oauth)',
          address: '10.20.0.32',
        },
      ),
    },
  },
  {
    input: contact('Expense report sync', 'Expense reports to the travel system', 'Alan', 'Turing'),
    createdDaysAgo: 400,
    calls: calls(
      [
        ['expense_reports', 'index', 1, 4],
        ['expense_reports', 'show', 0, 6],
      ],
      {
        hours: office,
        fromDaysAgo: HISTORY_DAYS,
        untilDaysAgo: 15,
        agent: 'TravelSync/3.1',
        address: '10.20.0.47',
      },
    ),
    client: {
      name: 'Expense report sync',
      login: 'expense-report-sync',
      scopes: ['core.expense.read'],
      createdDaysAgo: 17,
      calls: calls(
        [
          ['expense_reports', 'index', 1, 4],
          ['expense_reports', 'show', 0, 6],
        ],
        {
          hours: office,
          fromDaysAgo: 16,
          agent: 'TravelSync/3.2 (oauth)',
          address: '10.20.0.47',
        },
      ),
    },
  },
  {
    input: contact('Old report', 'Quarterly spend report (retired)', 'Edsger', 'Dijkstra'),
    createdDaysAgo: 900,
  },
]

/**
 * Seeds the demo transition once: when the store has no API key yet. Counting is set to have begun
 * when the history begins (unless it began earlier), so that the never-called key is proven unused.
 */
export async function seedDemoTransition(options: DemoTransitionOptions): Promise<DemoTransition> {
  const { store, apiKeys, clients, clock, dataDir } = options
  const keysFile = join(dataDir, DEMO_API_KEYS_FILE)
  if ((await store.listApiKeys()).length > 0) return { keysFile: existsSync(keysFile) ? keysFile : undefined }
  const now = clock.now()
  const historyStart = startOfHour(now) - HISTORY_DAYS * DAY
  const history = { now, historyStart }
  const lines = ['# Legacy API keys of the demo transition: send one as X-COUPA-API-KEY']
  for (const [index, demo] of DEMO_KEYS.entries()) {
    const { record, key } = await apiKeys.create(demo.input, { createdAt: now - demo.createdDaysAgo * DAY })
    lines.push(`${record.name}=${key}`)
    if (demo.calls) {
      await writeHistory(store, { kind: 'api_key', id: record.id }, demo.calls, {
        ...history,
        seed: index + 1,
      })
    }
    if (!demo.client) continue
    const { name, login, scopes, createdDaysAgo, calls } = demo.client
    const input = { name, login, scopes, grantType: 'client_credentials' as const }
    const { client } = await clients.create(input, { createdAt: now - createdDaysAgo * DAY })
    await apiKeys.setReplacement(record.id, client.clientId)
    await writeHistory(store, { kind: 'client', id: client.clientId }, calls, {
      ...history,
      seed: index + 101,
    })
  }
  const counted = Number((await store.getSetting(COUNTED_SINCE_SETTING)) ?? Number.POSITIVE_INFINITY)
  if (!(counted <= historyStart)) await store.setSetting(COUNTED_SINCE_SETTING, String(historyStart))
  const temp = `${keysFile}.${process.pid}.tmp`
  writeFileSync(temp, `${lines.join('\n')}\n`, { mode: 0o600 })
  renameSync(temp, keysFile)
  return { keysFile }
}

async function writeHistory(
  store: DemoTransitionOptions['store'],
  principal: Parameters<typeof demoHistory>[0],
  calls: DemoCalls,
  history: Parameters<typeof demoHistory>[2],
): Promise<void> {
  const { counts, use } = demoHistory(principal, calls, history)
  await store.addUsage(counts)
  if (use) await store.upsertPrincipalUse([use])
}

function contact(name: string, description: string, first: string, last: string): ApiKeyInput {
  const login = `demo-${name.toLowerCase().replaceAll(' ', '-')}`
  return {
    name,
    description,
    contactFirstName: first,
    contactLastName: last,
    contactLogin: login,
    contactEmail: `${login}@example.com`,
  }
}

function calls(
  actions: DemoCalls['actions'],
  options: { hours: number[]; fromDaysAgo: number; untilDaysAgo?: number; agent: string; address: string },
): DemoCalls {
  const { hours, fromDaysAgo, untilDaysAgo = 0, agent, address } = options
  return { actions, hours, fromDaysAgo, untilDaysAgo, userAgent: agent, remoteAddress: address }
}
