/**
 * The plan proposes an existing OAuth client for a key in use when one fits (`action: link`): first
 * one whose login, else name, is the key's; else one whose scopes cover the key's with the fewest
 * extra. Never a client already linked to a key, linked earlier in the plan, or deactivated.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../stores.ts'
import { HOUR, SECOND, startTransitionInstance, type TransitionInstance } from './support.ts'

interface PlanEntry {
  api_key_id: string
  action: string
  scopes: string[]
  client: { name: string; login: string; client_id?: string } | null
  reason: string
}

for (const backend of storeBackends) {
  describe(`GET /admin/v1/transition/plan links existing clients, on ${backend.name}`, {
    skip: backend.skip,
  }, () => {
    let t: TransitionInstance
    const keys: Record<string, string> = {}
    const clients: Record<string, string> = {}
    let plan: PlanEntry[]
    const entry = (name: string) => plan.find((k) => k.api_key_id === keys[name])

    /** A key that calls `GET /api/<path>`, made one second after the previous one (the plan's order). */
    async function keyCalling(name: string, path: string) {
      t.clock.advance(SECOND)
      const key = await t.createKey(name)
      keys[name] = key.id
      await t.calls(1, 'GET', `/api/${path}?limit=1`, key.headers)
      return key
    }

    async function client(name: string, login: string, scopes: string[]) {
      const made = await t.createClient({ name, login, scopes })
      clients[login] = made.client_id
      return made
    }

    before(async () => {
      t = await startTransitionInstance(backend)
      await client('ERP suppliers', 'supplier-sync', [
        'core.supplier.read',
        'core.supplier.write',
        'core.common.read',
      ])
      await client('Reports', 'reports', ['core.invoice.read', 'core.common.read', 'core.item.read'])
      await client('Invoice pull', 'invoice-pull', ['core.invoice.read', 'core.common.read'])
      await client('Expense export', 'expense-legacy', ['core.expense.read'])
      await client('Approvals', 'approvals', ['core.approval.read'])
      await client('Item export', 'item-export', ['core.item.read'])
      await client('Items feed', 'items-feed', ['core.item.read', 'core.uom.read'])
      const users = await client('User sync', 'user-sync', ['core.user.read'])
      assert.equal((await t.admin('POST', `/oauth2/clients/${users.id}/deactivate`)).statusCode, 200)

      const supplier = await keyCalling('Supplier sync', 'suppliers')
      await t.calls(1, 'PUT', '/api/suppliers/2', supplier.headers)
      await keyCalling('Invoice reader', 'invoices')
      await keyCalling('Expense export', 'expense_reports')
      await keyCalling('Approvals', 'approvals')
      const linked = (await t.createKey('Old approvals')).id
      const link = await t.admin('PUT', `/api-keys/${linked}/replacement`, { client_id: clients.approvals })
      assert.equal(link.statusCode, 200, link.body)
      await keyCalling('Item sync', 'items')
      await keyCalling('Item export', 'items')
      await keyCalling('User sync', 'users')
      t.clock.advance(HOUR)
      await t.flush()
      plan = ((await t.report('plan')) as { keys: PlanEntry[] }).keys
    })
    after(() => t.close())

    it("links the client whose login is the key's, saying which scopes it has beyond the key's", () => {
      assert.deepEqual(entry('Supplier sync'), {
        api_key_id: keys['Supplier sync'],
        api_key_name: 'Supplier sync',
        action: 'link',
        phase: 1,
        scopes: ['core.supplier.read', 'core.supplier.write'],
        client: { name: 'ERP suppliers', login: 'supplier-sync', client_id: clients['supplier-sync'] },
        reason:
          "used suppliers#index, suppliers#update in the last 30 days; link the existing client supplier-sync: its login is the key's name and covers these scopes (also core.common.read)",
      })
      assert.match(String(entry('Supplier sync')?.client?.client_id), /^[0-9a-f]{32}$/)
    })

    it("links the client whose name is the key's when no login is", () => {
      const expense = entry('Expense export')
      assert.equal(expense?.action, 'link')
      assert.deepEqual(expense?.client, {
        name: 'Expense export',
        login: 'expense-legacy',
        client_id: clients['expense-legacy'],
      })
      assert.equal(
        expense?.reason,
        "used expense_reports#index in the last 30 days; link the existing client expense-legacy: its name is the key's name and it has exactly these scopes",
      )
    })

    it("else links the client whose scopes cover the key's with the fewest extra", () => {
      const reader = entry('Invoice reader')
      assert.equal(reader?.action, 'link')
      assert.deepEqual(reader?.client, {
        name: 'Invoice pull',
        login: 'invoice-pull',
        client_id: clients['invoice-pull'],
      })
      assert.equal(
        reader?.reason,
        'used invoices#index in the last 30 days; link the existing client invoice-pull: of the unlinked clients whose scopes cover these, it has the fewest extra (core.common.read)',
      )
    })

    it('never proposes a client already linked to another key: a new client instead', () => {
      assert.deepEqual(entry('Approvals'), {
        api_key_id: keys.Approvals,
        api_key_name: 'Approvals',
        action: 'replace',
        phase: 2,
        scopes: ['core.approval.read'],
        client: { name: 'Approvals', login: 'approvals-2' },
        reason: 'used approvals#index in the last 30 days',
      })
    })

    it('gives a client named like a later key to that key, not to an earlier one it would fit', () => {
      // `Item sync` comes first and `item-export` fits it best (no extra scope), but it is named
      // like `Item export`: names are matched first, then scopes, each client to one key only.
      assert.equal(entry('Item export')?.action, 'link')
      assert.equal(entry('Item export')?.client?.client_id, clients['item-export'])
      assert.equal(entry('Item sync')?.action, 'link')
      assert.equal(entry('Item sync')?.client?.client_id, clients['items-feed'])
      assert.match(String(entry('Item sync')?.reason), /it has the fewest extra \(core\.uom\.read\)$/)
    })

    it('never proposes a deactivated client', () => {
      assert.equal(entry('User sync')?.action, 'replace')
      assert.deepEqual(entry('User sync')?.client, { name: 'User sync', login: 'user-sync-2' })
    })
  })
}
