import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { resources } from '../../../src/catalogue/index.ts'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from './support.ts'

const [sqlite] = storeBackends

describe('every resource in JSON and XML', () => {
  let t: ApiInstance
  let auth: Record<string, string>
  before(async () => {
    t = await startApiInstance(sqlite as NonNullable<typeof sqlite>)
    auth = await t.apiKey(null)
  })
  after(() => t.close())

  for (const def of resources) {
    it(`${def.name}: index and show as <${def.xmlCollection}> / <${def.xmlRoot}> and as JSON`, async () => {
      const xmlList = await t.call('GET', `/api/${def.name}?limit=2`, auth, { accept: 'application/xml' })
      assert.equal(xmlList.statusCode, 200, xmlList.body)
      assert.ok(
        xmlList.body.startsWith(
          `<?xml version="1.0" encoding="UTF-8"?><${def.xmlCollection} type="array"><${def.xmlRoot}>`,
        ),
        xmlList.body.slice(0, 200),
      )
      const xmlOne = await t.call('GET', `/api/${def.name}/1`, auth, { accept: 'application/xml' })
      assert.equal(xmlOne.statusCode, 200)
      assert.ok(
        xmlOne.body.startsWith(
          `<?xml version="1.0" encoding="UTF-8"?><${def.xmlRoot}><id type="integer">1</id>`,
        ),
      )

      const jsonList = await t.call('GET', `/api/${def.name}?limit=2`, auth)
      assert.ok([1, 2].includes(jsonList.json().length))
      const jsonOne = (await t.call('GET', `/api/${def.name}/1`, auth)).json()
      assert.equal(jsonOne.id, 1)
      for (const key of Object.keys(jsonOne))
        assert.doesNotMatch(key, /_/, `${def.name}: key ${key} is not dashed`)
    })
  }
})
