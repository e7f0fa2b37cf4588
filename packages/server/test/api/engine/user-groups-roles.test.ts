/**
 * `/api/user_groups` and `/api/roles` (coupa-api-facts §4.3, §2.2) and the lists of references
 * they bring: a user's `roles` as Coupa shows them (§6, `"roles":[{"id":2,"name":"Admin",
 * "omnipotent":true,"system-role":true}]`) and a group's `users`, in JSON and XML.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from './support.ts'

type Row = Record<string, unknown>
const XML = 'application/xml'

for (const backend of storeBackends) {
  describe(`user groups and roles on ${backend.name}`, { skip: backend.skip }, () => {
    let t: ApiInstance
    let read: Record<string, string>
    before(async () => {
      t = await startApiInstance(backend)
      read = await t.bearer(['core.user.read', 'core.user_group.read', 'core.common.read'])
    })
    after(() => t.close())

    const json = async (url: string) => {
      const response = await t.call('GET', url, read)
      assert.equal(response.statusCode, 200, response.body)
      return response.json()
    }

    it('lists roles in JSON with dashed keys, and in XML as <roles type="array">', async () => {
      const roles = (await json('/api/roles')) as Row[]
      assert.equal(roles.length, 6)
      const { id, name, description, omnipotent } = roles[0] as Row
      assert.deepEqual(
        { id, name, description, omnipotent, system: roles[0]?.['system-role'] },
        {
          id: 1,
          name: 'Admin',
          description: 'Full access to every setup page and document',
          omnipotent: true,
          system: true,
        },
      )
      const xml = await t.call('GET', '/api/roles/1', read, { accept: XML })
      assert.equal(xml.statusCode, 200)
      assert.match(xml.body, /^<\?xml version="1.0" encoding="UTF-8"\?><role><id type="integer">1<\/id>/)
      assert.match(
        xml.body,
        /<name>Admin<\/name>.*<omnipotent type="boolean">true<\/omnipotent><system-role type="boolean">true<\/system-role><\/role>$/,
      )
    })

    it('shows a user’s roles as Coupa does, and a group’s users, in JSON and XML', async () => {
      const user = await json('/api/users/1')
      assert.deepEqual(user.roles, [{ id: 1, name: 'Admin', omnipotent: true, 'system-role': true }])
      const userXml = await t.call('GET', '/api/users/1', read, { accept: XML })
      assert.match(
        userXml.body,
        /<roles type="array"><role><id type="integer">1<\/id><name>Admin<\/name><omnipotent type="boolean">true<\/omnipotent><system-role type="boolean">true<\/system-role><\/role><\/roles>/,
      )
      const group = await json('/api/user_groups/1')
      const members = group.users as Row[]
      assert.ok(members.length > 0)
      const first = await json(`/api/users/${members[0]?.id}`)
      assert.deepEqual(members[0], { id: first.id, login: first.login, email: first.email })
      const groupXml = await t.call('GET', '/api/user_groups', read, { accept: XML })
      assert.match(
        groupXml.body,
        /^<\?xml[^>]*><user-groups type="array"><user-group><id type="integer">1<\/id>/,
      )
      assert.match(groupXml.body, /<users type="array"><user><id type="integer">\d+<\/id><login>/)
    })

    it('filters through a list of references: any entry may match', async () => {
      const admins = (await json('/api/users?roles[id]=1')) as Row[]
      assert.deepEqual(
        admins.map((u) => u.id),
        [1],
      )
      const buyers = (await json('/api/users?roles[name]=Buyer&limit=50')) as Row[]
      assert.ok(buyers.length > 0)
      for (const buyer of buyers) assert.ok((buyer.roles as Row[]).some((role) => role.name === 'Buyer'))
      const group = await json('/api/user_groups/1')
      const login = (group.users as Row[])[0]?.login
      const groups = (await json(`/api/user_groups?users[login]=${login}`)) as Row[]
      assert.ok(groups.some((g) => g.id === 1))
      const none = await t.call('GET', '/api/user_groups?users[login]=nobody', read, { accept: XML })
      assert.equal(none.statusCode, 404)
    })

    it('keeps to the ids and natural keys of the listed records with return_object=shallow', async () => {
      const [user] = (await json('/api/users?id=1&return_object=shallow')) as Row[]
      assert.deepEqual(user?.roles, [{ id: 1, name: 'Admin' }])
    })

    it('creates and updates with the write scopes; lists of references are read-only', async () => {
      const groupWriter = await t.bearer(['core.user_group.write'])
      const group = { name: 'Auditors', description: 'Year-end audit', active: true }
      // No silent drop: members are not set through this API, and a body that tries is told so.
      const withUsers = await t.call('POST', '/api/user_groups', groupWriter, {
        body: JSON.stringify({ ...group, users: [{ id: 1 }] }),
      })
      assert.equal(withUsers.statusCode, 400, withUsers.body)
      assert.deepEqual(withUsers.json(), { errors: { 'user-group': ['users is read-only'] } })
      const created = await t.call('POST', '/api/user_groups', groupWriter, { body: JSON.stringify(group) })
      assert.equal(created.statusCode, 201, created.body)
      assert.deepEqual(
        { ...(created.json() as Row), id: 0, 'created-at': '', 'updated-at': '' },
        {
          id: 0,
          'created-at': '',
          'updated-at': '',
          name: 'Auditors',
          description: 'Year-end audit',
          active: true,
          users: [],
        },
      )
      const refused = await t.call('PUT', '/api/roles/3', groupWriter, { body: '{"description":"x"}' })
      assert.equal(refused.statusCode, 403)
      assert.match(String(refused.headers['www-authenticate']), /scope="core.common.write"/)
      const roleWriter = await t.bearer(['core.common.write'])
      const updated = await t.call('PUT', '/api/roles/3', roleWriter, {
        body: '<role><description>Buys things</description></role>',
        contentType: XML,
        accept: XML,
      })
      assert.equal(updated.statusCode, 200, updated.body)
      assert.match(updated.body, /<name>Buyer<\/name><description>Buys things<\/description>/)
      const missing = await t.call('POST', '/api/roles', roleWriter, { body: '{"description":"no name"}' })
      assert.equal(missing.statusCode, 400)
      assert.deepEqual(missing.json(), { errors: { role: ["Name can't be blank"] } })
    })
  })
}
