/**
 * Issue 13, finding 5: the core API answers every error in Coupa's format, unexpected ones and
 * Node's and Fastify's own included, never in Fastify's (`{"statusCode":500,"code":"ERR_…"}`).
 * The errors are forced in the write path of POST /api/suppliers by wrapping its handler.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { RouteHandlerMethod } from 'fastify'
import { startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const JSON_TYPE = 'application/json; charset=utf-8'
const SENDING_FAILED =
  'the server failed while sending its answer; a change the request asked for may have been made: check before you retry'

/** What the wrapped handler does before (or instead of) creating the supplier. */
type Fault = (reply: Parameters<RouteHandlerMethod>[1]) => void

for (const backend of storeBackends) {
  describe(`unexpected errors of a core API write on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    let key: string
    let fault: Fault | undefined
    let made = 0
    before(async () => {
      t = await startInstance(backend, {
        clock: new TestClock(),
        apiRateLimit: false,
        usageLedger: false,
        onRoute(route) {
          if (route.method !== 'POST' || route.url !== '/api/suppliers') return
          const create = route.handler
          route.handler = async function faultyCreate(request, reply) {
            fault?.(reply)
            return create.call(this, request, reply)
          }
        },
      })
      const created = await t.admin('POST', '/api-keys', {
        name: 'Supplier sync',
        contact_login: 'supplier-sync',
        contact_email: 'supplier-sync@example.com',
      })
      assert.equal(created.statusCode, 201, created.body)
      key = created.json().key
    })
    after(() => t.close())
    beforeEach(() => {
      fault = undefined
    })

    const post = (name: string, accept = 'application/json') =>
      t.instance.app.inject({
        method: 'POST',
        url: '/api/suppliers',
        headers: { 'x-coupa-api-key': key, accept, 'content-type': 'application/json' },
        payload: JSON.stringify({ name }),
      })
    const count = async (name: string) => {
      const found = await t.instance.app.inject({
        method: 'GET',
        url: `/api/suppliers?name=${encodeURIComponent(name)}`,
        headers: { 'x-coupa-api-key': key, accept: 'application/json' },
      })
      assert.equal(found.statusCode, 200, found.body)
      return (found.json() as unknown[]).length
    }
    const name = () => `Supplier ${++made} ${backend.name}`

    it('creates a supplier with 201 when nothing fails', async () => {
      const supplier = name()
      assert.equal((await post(supplier)).statusCode, 201)
      assert.equal(await count(supplier), 1)
    })

    it('answers a header Node refuses to write, after the write, in Coupa format: never Fastify’s', async () => {
      fault = (reply) => reply.header('x-forced', 'café 移行\r\n')
      const supplier = name()
      const json = await post(supplier)
      assert.equal(json.statusCode, 500, json.body)
      assert.equal(json.headers['content-type'], JSON_TYPE)
      assert.deepEqual(json.json(), { errors: { supplier: [SENDING_FAILED] } })
      assert.equal(json.headers['x-forced'], undefined)
      // The write had committed: the answer says so, so that a client checks before it retries.
      assert.equal(await count(supplier), 1)

      const xml = await post(name(), 'application/xml')
      assert.equal(xml.statusCode, 500, xml.body)
      assert.match(String(xml.headers['content-type']), /^application\/xml/)
      assert.equal(
        xml.body,
        `<?xml version="1.0" encoding="UTF-8"?><errors><error>${SENDING_FAILED}</error></errors>`,
      )
    })

    it('answers an error with a status that is no status in Coupa format, 500', async () => {
      fault = () => {
        throw Object.assign(new Error('not for the client'), { statusCode: 'teapot', code: 'ERR_ODD' })
      }
      const response = await post(name())
      assert.equal(response.statusCode, 500, response.body)
      assert.equal(response.headers['content-type'], JSON_TYPE)
      assert.deepEqual(response.json(), { errors: { supplier: ['the server failed; try again later'] } })
      assert.doesNotMatch(response.body, /not for the client|ERR_ODD/)
    })

    it('answers a Fastify error and an unexpected one in Coupa format, without their text', async () => {
      fault = () => {
        throw Object.assign(new Error('Fastify says 418 with input "x"'), {
          statusCode: 418,
          code: 'FST_ERR_SOMETHING',
        })
      }
      const fastify = await post(name())
      assert.equal(fastify.statusCode, 418, fastify.body)
      assert.deepEqual(fastify.json(), { errors: { supplier: ["I'm a Teapot"] } })
      fault = () => {
        throw new TypeError('secret detail')
      }
      const unexpected = await post(name())
      assert.equal(unexpected.statusCode, 500, unexpected.body)
      assert.equal(unexpected.headers['content-type'], JSON_TYPE)
      assert.deepEqual(unexpected.json(), { errors: { supplier: ['the server failed; try again later'] } })
    })
  })
}
