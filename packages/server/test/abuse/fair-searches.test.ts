/**
 * One client's slow searches cannot starve the others (issue 13, finding 2): a search that reads
 * records one by one lets other requests run between its pages, each client's searches take turns
 * in their own lane (one at a time, a few waiting, then 429), and no search reads more than a
 * bounded number of records.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setImmediate } from 'node:timers/promises'
import { seedDemoData } from '../../src/api/demo/seed.ts'
import { ApiError } from '../../src/api/errors.ts'
import { ScanLanes } from '../../src/api/scan-lanes.ts'
import { startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const sqlite = storeBackends.find((backend) => backend.name === 'sqlite')
/** A filter no index answers and nothing matches: the search reads every invoice. */
const NO_MATCH = '/api/invoices?supplier[name][contains]=no-such-supplier-name&limit=50'

describe('scan lanes', () => {
  /** A search that runs until `finish` is called. */
  function held() {
    let finish = () => {}
    const done = new Promise<void>((resolve) => {
      finish = resolve
    })
    return { finish, search: () => done }
  }

  it("runs one search of a client at a time, queues a few, refuses more, and never holds up another client's", async () => {
    const lanes = new ScanLanes({ perClient: 1, queuePerClient: 2 })
    const first = held()
    const order: string[] = []
    const running = lanes.run('a', async () => {
      await first.search()
      order.push('a1')
    })
    const queued = [
      lanes.run('a', async () => order.push('a2')),
      lanes.run('a', async () => order.push('a3')),
    ]
    await assert.rejects(
      lanes.run('a', async () => order.push('a4')),
      (error: unknown) =>
        error instanceof ApiError && error.status === 429 && error.headers['Retry-After'] === '1',
    )
    await lanes.run('b', async () => order.push('b1'))
    assert.deepEqual(order, ['b1'], "another client's search runs at once")
    assert.equal(lanes.inLane('a'), 3)
    first.finish()
    await Promise.all([running, ...queued])
    assert.deepEqual(order, ['b1', 'a1', 'a2', 'a3'], 'in the order they came')
    assert.equal(lanes.inLane('a'), 0, 'an empty lane is forgotten')
  })

  it('hands a finished turn to the next search, so a newcomer cannot slip in between', async () => {
    const lanes = new ScanLanes({ perClient: 1, queuePerClient: 4 })
    let running = 0
    let most = 0
    const search = async () => {
      most = Math.max(most, ++running)
      await setImmediate()
      running--
    }
    await Promise.all(Array.from({ length: 5 }, () => lanes.run('a', search)))
    assert.equal(most, 1)
  })
})

describe('searches that read records one by one', () => {
  let t: TestInstance
  let auth: (login: string) => Promise<Record<string, string>>
  before(async () => {
    assert.ok(sqlite)
    const clock = new TestClock()
    t = await startInstance(sqlite, {
      clock,
      apiRateLimit: false,
      searches: { perClient: 1, queuePerClient: 1, scanLimit: 1_000 },
    })
    // 600 invoices: a search reads them in several pages.
    await seedDemoData(t.testStore.store, { now: clock.now(), scale: 0.2 })
    auth = async (login) => {
      const { client } = await t.instance.clients.create({
        name: login,
        grantType: 'client_credentials',
        scopes: ['core.invoice.read'],
        login,
      })
      const { token } = await t.instance.tokens.issue(client.clientId, 'core.invoice.read')
      return { authorization: `Bearer ${token}`, accept: 'application/json' }
    }
  })
  after(() => t.close())

  it('lets other requests run between the pages it reads', async () => {
    const headers = await auth('scanner')
    const events: string[] = []
    const search = t.instance.app.inject({ method: 'GET', url: NO_MATCH, headers }).then((response) => {
      events.push(`search ${response.statusCode}`)
    })
    // Due after the search's first page: before the change it came after the whole search.
    void setImmediate().then(() => events.push('another request'))
    await search
    assert.deepEqual(events, ['another request', 'search 200'])
  })

  it("queues a client's searches behind each other and answers 429 in Coupa's shape beyond its queue", async () => {
    const headers = await auth('greedy')
    const responses = await Promise.all(
      [1, 2, 3].map(() => t.instance.app.inject({ method: 'GET', url: NO_MATCH, headers })),
    )
    assert.deepEqual(
      responses.map((r) => r.statusCode),
      [200, 200, 429],
    )
    const refused = responses[2]
    assert.equal(refused?.headers['retry-after'], '1')
    assert.match(firstMessage(refused?.json()), /Too many searches of this client/)
  })

  it('refuses with 400, naming what to filter on, a search that would read more records than its bound', async () => {
    const bounded = await startInstance(sqlite as NonNullable<typeof sqlite>, {
      apiRateLimit: false,
      searches: { scanLimit: 200 },
    })
    try {
      await seedDemoData(bounded.testStore.store, { now: Date.parse('2026-01-01T00:00:00Z'), scale: 0.2 })
      const { client } = await bounded.instance.clients.create({
        name: 'wide',
        grantType: 'client_credentials',
        scopes: ['core.invoice.read'],
        login: 'wide',
      })
      const { token } = await bounded.instance.tokens.issue(client.clientId, 'core.invoice.read')
      const wide = await bounded.instance.app.inject({
        method: 'GET',
        url: NO_MATCH,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      })
      assert.equal(wide.statusCode, 400)
      assert.match(
        firstMessage(wide.json()),
        /reads more than 200 invoices one by one: add a filter on id, status/,
      )
      const found = await bounded.instance.app.inject({
        method: 'GET',
        url: '/api/invoices?supplier[name][contains]=a&limit=5',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      })
      assert.equal(found.statusCode, 200, 'a search whose page fills within the bound is answered')
      assert.equal(found.json().length, 5)
    } finally {
      await bounded.close()
    }
  })
})

/** The first message of a Coupa error body: `{"errors":{"invoice-header":["…"]}}`. */
function firstMessage(body: { errors: Record<string, string[]> }): string {
  return Object.values(body.errors)[0]?.[0] ?? ''
}
