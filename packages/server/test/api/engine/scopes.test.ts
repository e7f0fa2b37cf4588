import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { findResource, permissionTable } from '../../../src/catalogue/index.ts'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, sampleBody, startApiInstance } from './support.ts'

// sqlite only: this walks every permission of every resource; the store suite and the
// engine tests run on both stores.
const [sqlite] = storeBackends

describe('every action of every resource needs its scope (bearer) or its permission (API key)', () => {
  let t: ApiInstance
  before(async () => {
    t = await startApiInstance(sqlite as NonNullable<typeof sqlite>)
  })
  after(() => t.close())

  const request = (permission: (typeof permissionTable)[number]) => {
    const def = findResource(permission.resource)
    assert.ok(def)
    const base = `/api/${def.name}`
    switch (permission.action) {
      case 'index':
        return ['GET', base, undefined] as const
      case 'show':
        return ['GET', `${base}/1`, undefined] as const
      case 'create':
        return ['POST', base, sampleBody(def)] as const
      case 'update':
        return ['PUT', `${base}/2`, '{}'] as const
      default:
        return ['PUT', `${base}/3/${permission.action}`, undefined] as const
    }
  }

  for (const permission of permissionTable) {
    it(`${permission.permission} is allowed by ${permission.scope} and refused without it`, async () => {
      const [method, url, body] = request(permission)
      const options = body === undefined ? {} : { body }
      const allowed = await t.call(method, url, await t.bearer([permission.scope]), options)
      assert.ok(
        [200, 201].includes(allowed.statusCode) ||
          (allowed.statusCode === 400 && permission.action !== 'create'),
        `${allowed.statusCode} ${allowed.body}`,
      )
      if (allowed.statusCode === 400) assert.match(allowed.body, /cannot be/)

      const other = permission.scope === 'core.common.read' ? 'core.user.read' : 'core.common.read'
      const refused = await t.call(method, url, await t.bearer([other]), options)
      assert.equal(refused.statusCode, 403, refused.body)
      assert.equal(
        refused.headers['www-authenticate'],
        `Bearer realm="http://keyshift.test", error="insufficient_scope", scope="${permission.scope}"`,
      )

      const keyAllowed = await t.call(method, url, await t.apiKey([permission.permission]), options)
      assert.notEqual(keyAllowed.statusCode, 403, keyAllowed.body)
      const keyRefused = await t.call(method, url, await t.apiKey(['departments#show']), options)
      if (permission.permission !== 'departments#show')
        assert.equal(keyRefused.statusCode, 403, keyRefused.body)
    })
  }
})
