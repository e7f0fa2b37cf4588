/**
 * The token endpoint against the whole scope table: a client created with all scopes gets a token
 * for the scopes Coupa's own NetSuite bundles ask for (coupa-api-facts.md §5), and a scope the
 * instance does not know is refused apart from one the client was not given (RFC 6749 §5.2).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { scopeCatalogue } from '../../src/catalogue/index.ts'
import { type CreatedClient, startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

/**
 * The bundles' scopes as §5 writes them. `.*` is Coupa's shorthand in the docs for "read and
 * write"; a token request names the concrete scopes.
 */
const NETSUITE_P2P =
  'core.invoice.* core.payables.invoice.* core.supplier.* core.common.* core.expense.* core.pay.payments.* core.pay.virtual_cards.*'
const NETSUITE_P2O =
  'core.pay.virtual_cards.* core.purchase_order.* core.inventory.receiving.* core.supplier.* core.common.*'

function concrete(bundle: string): string {
  return bundle
    .split(' ')
    .flatMap((wildcard) => ['read', 'write'].map((right) => wildcard.replace(/\*$/, right)))
    .join(' ')
}

for (const backend of storeBackends) {
  describe(`token endpoint and the whole scope table on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    let all: CreatedClient
    let few: CreatedClient
    const token = (client: CreatedClient, scope?: string) =>
      t.form('/oauth2/token', {
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
        ...(scope !== undefined && { scope }),
      })

    before(async () => {
      t = await startInstance(backend, { clock: new TestClock() })
      all = await t.createClient({ scopes: 'all' })
      few = await t.createClient({ scopes: ['core.invoice.read', 'core.common.read'] })
    })
    after(() => t.close())

    it('gives a client created with "all" every scope of the table', () => {
      assert.deepEqual(
        all.scopes,
        scopeCatalogue.map((scope) => scope.name),
      )
    })

    for (const [bundle, scopes] of [
      ['P2P bundle 84306', NETSUITE_P2P],
      ['P2O bundle 72208', NETSUITE_P2O],
    ] as const) {
      it(`issues a token for Coupa's NetSuite ${bundle} scopes to a client with all scopes`, async () => {
        const requested = concrete(scopes)
        assert.match(requested, /core\.pay\.virtual_cards\.write/)
        const response = await token(all, requested)
        assert.equal(response.statusCode, 200, response.body)
        assert.equal(response.json().scope, [...new Set(requested.split(' '))].join(' '))
      })
    }

    it('issues a token for every scope of the table when scope is omitted', async () => {
      const response = await token(all)
      assert.equal(response.statusCode, 200)
      assert.equal(response.json().scope.split(' ').length, scopeCatalogue.length)
    })

    it('refuses a name that is not a scope of this instance with invalid_scope, naming it', async () => {
      const response = await token(all, 'core.invoice.read core.pay.payment.read')
      assert.equal(response.statusCode, 400)
      assert.deepEqual(response.json(), {
        error: 'invalid_scope',
        error_description:
          'core.pay.payment.read is not a scope of this instance (scopes_supported of /.well-known/oauth-authorization-server lists them)',
      })
    })

    it('refuses the wildcard itself: core.pay.payments.* is documentation, not a scope', async () => {
      const response = await token(all, 'core.pay.payments.*')
      assert.equal(response.statusCode, 400)
      assert.match(
        response.json().error_description,
        /^core\.pay\.payments\.\* is not a scope of this instance/,
      )
    })

    it('refuses a scope of the table the client was not given, in other words', async () => {
      const response = await token(few, 'core.invoice.read core.pay.payments.read')
      assert.equal(response.statusCode, 400)
      assert.deepEqual(response.json(), {
        error: 'invalid_scope',
        error_description: 'the client is not allowed scope core.pay.payments.read',
      })
    })

    it('names an unknown scope first when a request has both kinds', async () => {
      const response = await token(few, 'core.pay.payments.read nope.read')
      assert.match(response.json().error_description, /^nope\.read is not a scope of this instance/)
    })

    it('cuts long names short and lists at most five of many unknown names', async () => {
      const long = `core.${'x'.repeat(200)}.read`
      const many = Array.from({ length: 7 }, (_, i) => `core.unknown${i}.read`).join(' ')
      const response = await token(few, `${long} ${many}`)
      assert.equal(response.statusCode, 400)
      const description: string = response.json().error_description
      assert.ok(description.startsWith(`${long.slice(0, 80)}... core.unknown0.read`), description)
      assert.match(description, / and 3 more are not scopes of this instance/)
      assert.ok(description.length < 400, `${description.length} characters`)
      // https://www.rfc-editor.org/rfc/rfc6749#section-5.2 : error_description is %x20-21 / %x23-5B / %x5D-7E
      assert.match(description, /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/)
    })
  })
}
