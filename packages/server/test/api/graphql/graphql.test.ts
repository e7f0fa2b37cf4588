/**
 * `POST /api/graphql` (coupa-api-facts §4.3, Coupa's Introducing GraphQL page): queries over the
 * catalogue's resources with the REST query syntax, bearer tokens of the client credentials grant
 * only, the read scope of every object type touched, limits, and refusals in the GraphQL shape.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from '../engine/support.ts'

type Auth = Record<string, string>
type Row = Record<string, unknown>
/** What the queries below select at their root. */
type Data = Record<
  'users' | 'userGroups' | 'roles' | 'suppliers' | 'invoices' | 'purchaseOrders' | 'supplier' | 'role',
  Row[] & Row
>

const READ_ALL = [
  'core.user.read',
  'core.user_group.read',
  'core.common.read',
  'core.supplier.read',
  'core.invoice.read',
  'core.purchase_order.read',
]

for (const backend of storeBackends) {
  describe(`GraphQL on ${backend.name}`, { skip: backend.skip }, () => {
    let t: ApiInstance
    let all: Auth
    before(async () => {
      t = await startApiInstance(backend)
      all = await t.bearer(READ_ALL)
    })
    after(() => t.close())

    const post = (auth: Auth, query: string, extra: Row = {}) =>
      t.call('POST', '/api/graphql', auth, { body: JSON.stringify({ query, ...extra }) })

    /** The data of a query that must succeed without errors. */
    async function data(auth: Auth, query: string): Promise<Data> {
      const response = await post(auth, query)
      assert.equal(response.statusCode, 200, response.body)
      const body = response.json()
      assert.equal(body.errors, undefined, response.body)
      return body.data
    }

    async function restIds(url: string): Promise<number[]> {
      const response = await t.call('GET', url, all)
      assert.equal(response.statusCode, 200, response.body)
      return (response.json() as Row[]).map((row) => row.id as number)
    }

    it('reads each object type with the same records as the REST index', async () => {
      const cases = [
        ['users', 'users', 'login', 'login'],
        ['userGroups', 'user_groups', 'name', 'name'],
        ['roles', 'roles', 'systemRole', 'system-role'],
        ['suppliers', 'suppliers', 'name', 'name'],
        ['invoices', 'invoices', 'invoiceNumber', 'invoice-number'],
        ['purchaseOrders', 'purchase_orders', 'poNumber', 'po-number'],
      ] as const
      for (const [field, resource, attribute, wire] of cases) {
        const got = (await data(all, `{ ${field}(query: "limit=5") { id ${attribute} } }`))[field]
        const rest = (await t.call('GET', `/api/${resource}?limit=5`, all)).json() as Row[]
        assert.ok(got.length > 0, `${field} is empty`)
        assert.deepEqual(
          got,
          rest.map((row) => ({ id: row.id, [attribute]: row[wire] })),
          field,
        )
      }
    })

    it('takes the REST filter syntax in query:, with paging and order as the REST index', async () => {
      const filtered = await data(all, '{ suppliers(query: "id[lt_or_eq]=5") { id } }')
      assert.deepEqual(
        filtered.suppliers.map((row) => row.id),
        [1, 2, 3, 4, 5],
      )
      const query = 'status=active&offset=2&limit=3&order_by=id&dir=desc'
      const paged = await data(all, `{ suppliers(query: "${query}") { id status } }`)
      assert.deepEqual(
        paged.suppliers.map((row) => row.id),
        await restIds(`/api/suppliers?${query}`),
      )
      assert.equal(paged.suppliers.length, 3)
      assert.ok(paged.suppliers.every((row) => row.status === 'active'))
      const capped = await data(all, '{ invoices(query: "limit=500") { id } }')
      assert.equal(capped.invoices.length, 50)
      const nested = await data(all, '{ invoices(query: "supplier[id]=3") { supplier { id } } }')
      assert.ok(nested.invoices.every((row) => (row.supplier as Row).id === 3))
    })

    it('answers a bad query: argument with 200 and the REST parser’s message in errors', async () => {
      const response = await post(all, '{ suppliers(query: "colour=red") { id } }')
      assert.equal(response.statusCode, 200)
      const body = response.json()
      assert.deepEqual(body.data, { suppliers: null })
      assert.match(body.errors[0].message, /unknown attribute "colour" for suppliers/)
      assert.deepEqual(body.errors[0].path, ['suppliers'])
      const fields = await post(all, '{ suppliers(query: "fields=[\\"id\\"]") { id } }')
      assert.match(fields.json().errors[0].message, /fields does not apply in GraphQL/)
    })

    it('looks one object up by id, and answers null with an error for an id with no record', async () => {
      const found = await data(all, '{ supplier(id: 3) { id name paymentTerm { code } } }')
      const rest = (await t.call('GET', '/api/suppliers/3', all)).json()
      assert.deepEqual(found.supplier, {
        id: 3,
        name: rest.name,
        paymentTerm: rest['payment-term'] && { code: rest['payment-term'].code },
      })
      const missing = await post(all, '{ supplier(id: "999999") { id } }')
      assert.equal(missing.statusCode, 200)
      assert.deepEqual(missing.json(), {
        errors: [
          {
            message: 'No supplier with id "999999"',
            locations: [{ line: 1, column: 3 }],
            path: ['supplier'],
          },
        ],
        data: { supplier: null },
      })
    })

    it('resolves associations: references, lists of references, lines and the other side of a list', async () => {
      const { userGroups } = await data(
        all,
        '{ userGroups(query: "limit=1") { id users { id login roles { name omnipotent systemRole } userGroups { id } } } }',
      )
      const [group] = userGroups as Row[]
      const members = (group?.users ?? []) as Row[]
      assert.ok(members.length > 0)
      const rest = (await t.call('GET', `/api/user_groups/${group?.id}`, all)).json()
      assert.deepEqual(
        members.map((user) => user.id),
        rest.users.map((user: Row) => user.id),
      )
      for (const user of members) {
        assert.ok((user.userGroups as Row[]).some((g) => g.id === group?.id))
        assert.ok((user.roles as Row[]).length > 0)
      }
      const { invoices } = await data(
        all,
        '{ invoices(query: "limit=2") { id invoiceLines { id total } supplier { name } } }',
      )
      assert.ok(((invoices[0]?.invoiceLines ?? []) as Row[]).length > 0)
      const { role } = await data(all, '{ role(id: 2) { name users(query: "limit=3") { id } } }')
      assert.equal(role.name, 'User')
      assert.equal((role.users as Row[]).length, 3)
    })

    it('needs the read scope of every object type the query touches (403, insufficient_scope)', async () => {
      const userOnly = await t.bearer(['core.user.read'])
      assert.ok((await data(userOnly, '{ users(query: "limit=2") { id login } }')).users.length === 2)
      const refused = await post(userOnly, '{ suppliers { id } }')
      assert.equal(refused.statusCode, 403)
      assert.deepEqual(refused.json(), {
        errors: [
          {
            message:
              'Forbidden: reading Supplier (suppliers) needs the scope core.supplier.read, which this token does not have',
          },
        ],
      })
      assert.equal(
        refused.headers['www-authenticate'],
        'Bearer realm="http://keyshift.test", error="insufficient_scope", scope="core.supplier.read"',
      )
      const nested = await post(userOnly, '{ users { id roles { name } } }')
      assert.equal(nested.statusCode, 403)
      assert.match(nested.body, /Role \(roles\) needs the scope core.common.read/)
      const fragment = await post(
        userOnly,
        '{ users { id ...M } } fragment M on User { manager { id } defaultCurrency { code } }',
      )
      assert.equal(fragment.statusCode, 403)
      assert.match(fragment.body, /core.common.read/)
    })

    it('refuses API keys and requests without a token with 401', async () => {
      const key = await t.apiKey(null)
      const refused = await post(key, '{ users { id } }')
      assert.equal(refused.statusCode, 401)
      assert.match(
        refused.json().errors[0].message,
        /only OAuth 2.0 access tokens of the client credentials grant/,
      )
      assert.equal(refused.headers['www-authenticate'], 'Bearer realm="http://keyshift.test"')
      const anonymous = await post({}, '{ users { id } }')
      assert.equal(anonymous.statusCode, 401)
      assert.ok(Array.isArray(anonymous.json().errors), anonymous.body)
    })

    it('refuses mutations with Coupa’s words', async () => {
      const response = await post(all, 'mutation { createUser(login: "x") { id } }')
      assert.equal(response.statusCode, 400)
      assert.match(response.json().errors[0].message, /^Mutations are not supported/)
    })

    it('refuses a query deeper than 8 levels or with too many fields with 400', async () => {
      const deep = await post(
        all,
        '{ users { manager { manager { manager { manager { manager { manager { manager { id } } } } } } } } }',
      )
      assert.equal(deep.statusCode, 400)
      assert.match(deep.json().errors[0].message, /too deep: fields nest at most 8 levels/)
      const eight = await post(
        all,
        '{ users(query: "limit=1") { manager { manager { manager { manager { manager { manager { id } } } } } } } }',
      )
      assert.equal(eight.statusCode, 200, eight.body)
      const aliases = Array.from({ length: 1001 }, (_, i) => `a${i}: id`).join(' ')
      const wide = await post(all, `{ users(query: "limit=1") { ${aliases} } }`)
      assert.equal(wide.statusCode, 400)
      assert.match(wide.json().errors[0].message, /too many fields: at most 1000/)
    })

    it('answers malformed JSON, malformed GraphQL and unknown fields with 400, never a 5xx', async () => {
      const bodies = [
        '{"query":',
        '[]',
        '{"query":42}',
        '{"query":"{ users { id "}',
        '{"query":"{ users { colour } }"}',
      ]
      for (const body of bodies) {
        const response = await t.call('POST', '/api/graphql', all, { body })
        assert.equal(response.statusCode, 400, `${body} → ${response.body}`)
        assert.ok(response.json().errors[0].message.length > 0)
      }
      const variables = await post(all, 'query one($id: ID!) { user(id: $id) { id } }', {
        variables: { id: [1] },
      })
      assert.equal(variables.statusCode, 400, variables.body)
      assert.match(variables.json().errors[0].message, /\$id/)
      const operation = await post(all, '{ users { id } }', { operationName: 'other' })
      assert.equal(operation.statusCode, 400, operation.body)
      const named = await post(all, 'query one($id: ID!) { user(id: $id) { id } }', { variables: { id: 2 } })
      assert.deepEqual(named.json(), { data: { user: { id: 2 } } })
      const xml = await t.call('POST', '/api/graphql', all, { body: '<q/>', contentType: 'application/xml' })
      assert.equal(xml.statusCode, 400)
      const get = await t.call('GET', '/api/graphql', all)
      assert.equal(get.statusCode, 404, 'All requests are POST requests')
    })

    it('allows introspection, as GraphiQL uses it', async () => {
      const { getIntrospectionQuery } = await import('graphql')
      const response = await post(all, getIntrospectionQuery())
      assert.equal(response.statusCode, 200, response.body.slice(0, 300))
      const types = response.json().data.__schema.types.map((type: Row) => type.name)
      for (const name of ['User', 'UserGroup', 'Role', 'Supplier', 'Invoice', 'PurchaseOrder', 'InvoiceLine'])
        assert.ok(types.includes(name), name)
    })

    it('answers queries as ConductorOne’s baton-coupa sends them', async () => {
      // pkg/connector/client/query.go, with its pagination filled in (id[gt]=<last id>).
      const groups = await data(
        all,
        'query getGroups {\n\tuserGroups(query: "") {\n\t\tid\n\t\tname\n\t\tdescription\n\t}\n}',
      )
      assert.ok(groups.userGroups.length > 0)
      const members = await data(
        all,
        'query getGroupMembers {\n\tuserGroups(query: "id=1") {\n\t\tid\n\t\tusers {\n\t\t\tid\n\t\t}\n\t}\n}',
      )
      assert.equal(members.userGroups[0]?.id, 1)
      const roles = await data(
        all,
        'query getRoles {\n\troles(query: "id[gt]=1") {\n\t\tid\n\t\tname\n\t\tdescription\n\t}\n}',
      )
      assert.deepEqual(
        roles.roles.map((role) => role.id),
        [2, 3, 4, 5, 6],
      )
      const grants = await data(
        all,
        'query getRoleGrants {\n\tusers(query: "roles[id]=1&id[gt]=0") {\n\t\tid\n\t}\n}',
      )
      assert.deepEqual(grants.users, [{ id: 1 }])
      const userRoles = await data(
        all,
        'query getUsers {\n\tusers(query: "id=1") {\n\t\tid roles { id name description }\n\t}\n}\n',
      )
      assert.deepEqual(userRoles.users[0]?.roles, [
        { id: 1, name: 'Admin', description: 'Full access to every setup page and document' },
      ])
      const userGroups = await data(
        all,
        'query getUsers {\n\tusers(query: "id=1") {\n\t\tid userGroups { id name description }\n\t}\n}\n',
      )
      assert.ok(Array.isArray(userGroups.users[0]?.userGroups))
    })

    it('counts one read per object type in the usage ledger: index at the root, show inside', async () => {
      const ledger = t.instance.ledger
      assert.ok(ledger)
      const counted: string[] = []
      const record = ledger.record.bind(ledger)
      ledger.record = (principal, resource, action, origin) => {
        counted.push(`${resource}#${action}`)
        record(principal, resource, action, origin)
      }
      try {
        await data(all, '{ users(query: "limit=1") { id roles { id } } supplier(id: 1) { id } }')
      } finally {
        ledger.record = record
      }
      assert.deepEqual(counted.sort(), ['roles#show', 'suppliers#show', 'users#index'])
    })
  })
}
