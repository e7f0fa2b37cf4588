import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { findResource, nestedPermissions, permissionTable } from '../../../src/catalogue/index.ts'
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
      // The sub-resources under a record (catalogue/nested.ts).
      case 'attachments':
      case 'comments':
      case 'retrieve_image_scan':
        return ['GET', `${base}/1/${permission.action}`, undefined] as const
      case 'add_attachment':
        return ['POST', `${base}/1/attachments`, '{"type":"text","text":"note"}'] as const
      case 'add_comment':
        return ['POST', `${base}/1/comments`, '{"comments":"note"}'] as const
      case 'image_scan':
        return ['PUT', `${base}/1/image_scan`, undefined] as const
      default:
        return ['PUT', `${base}/3/${permission.action}`, undefined] as const
    }
  }

  for (const permission of permissionTable) {
    it(`${permission.permission} is allowed by ${permission.scope} and refused without it`, async () => {
      const [method, url, body] = request(permission)
      const options = body === undefined ? {} : { body }
      const allowed = await t.call(method, url, await t.bearer([permission.scope]), options)
      // A sub-resource's call is let through and then answered on its merits (an invoice with no
      // image scan is a 404, an image scan sent as JSON a 415): tests/api/nested has them.
      const nested = nestedPermissions.some(
        (p) => p.resource === permission.resource && p.action === permission.action,
      )
      if (nested)
        assert.ok(
          allowed.statusCode < 500 && allowed.statusCode !== 403,
          `${allowed.statusCode} ${allowed.body}`,
        )
      else
        assert.ok(
          [200, 201].includes(allowed.statusCode) ||
            (allowed.statusCode === 400 && permission.action !== 'create'),
          `${allowed.statusCode} ${allowed.body}`,
        )
      if (!nested && allowed.statusCode === 400) assert.match(allowed.body, /cannot be/)

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
