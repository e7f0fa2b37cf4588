import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEMO_COUNTS, DEMO_RESOURCES, type DemoData, demoCounts } from '../../../src/api/demo/context.ts'
import { allCurrencies } from '../../../src/api/demo/currency-table.ts'
import { generateDemoData } from '../../../src/api/demo/dataset.ts'
import { cents } from '../../../src/api/demo/random.ts'
import { BASE, checkApprovable, checkRecord, type IdIndex } from './checks.ts'

function idIndex(data: DemoData): IdIndex {
  return new Map(DEMO_RESOURCES.map((resource) => [resource, new Set(data[resource].map((r) => r.id))]))
}

function share(data: DemoData, resource: keyof DemoData, status: string): number {
  return data[resource].filter((r) => r.status === status).length / data[resource].length
}

describe('demo data set', () => {
  const data = generateDemoData({ now: BASE })

  it('is the same for the same seed and differs for another', () => {
    assert.equal(JSON.stringify(generateDemoData({ now: BASE })), JSON.stringify(data))
    const other = generateDemoData({ now: BASE, seed: 7 })
    assert.notEqual(JSON.stringify(other.invoices), JSON.stringify(data.invoices))
  })

  it('has the documented counts, with contiguous ids from the first ids', () => {
    assert.deepEqual(DEMO_COUNTS, {
      currencies: allCurrencies.length,
      payment_terms: 6,
      countries: 6,
      tax_codes: 5,
      account_types: 4,
      addresses: 8,
      departments: 20,
      lookup_values: 50,
      accounts: 200,
      exchange_rates: 50,
      users: 400,
      items: 500,
      requisitions: 500,
      purchase_orders: 2000,
      invoices: 3000,
      expense_reports: 300,
      approvals: 400,
      contracts: 60,
      supplier_items: 800,
      remit_to_addresses: 300,
      roles: 6,
      user_groups: 40,
      suppliers: 300,
    })
    for (const resource of DEMO_RESOURCES) {
      assert.deepEqual(
        data[resource].map((r) => r.id),
        Array.from({ length: DEMO_COUNTS[resource] }, (_, i) => i + 1),
        resource,
      )
    }
    const shifted = generateDemoData({ now: BASE, scale: 0.1, firstIds: { invoices: 501 } })
    assert.equal(shifted.invoices.length, demoCounts(0.1).invoices)
    assert.equal(shifted.invoices[0]?.id, 501)
  })

  it('gives every record declared fields of the right type, valid references and consistent times', () => {
    const ids = idIndex(data)
    for (const resource of DEMO_RESOURCES) for (const row of data[resource]) checkRecord(resource, row, ids)
    for (const row of data.approvals) checkApprovable(row, ids)
  })

  it('spreads statuses the way a live instance has them', () => {
    assert.ok(share(data, 'invoices', 'approved') > 0.7)
    for (const status of ['pending_approval', 'draft', 'disputed', 'voided']) {
      assert.ok(
        data.invoices.some((r) => r.status === status),
        status,
      )
    }
    const approved = data.invoices.filter((r) => r.status === 'approved')
    assert.ok(approved.filter((r) => r.exported === true).length / approved.length > 0.8)
    assert.ok(share(data, 'purchase_orders', 'closed') > 0.2)
    assert.ok(share(data, 'requisitions', 'ordered') > 0.5)
    assert.ok(data.approvals.some((r) => r.status === 'pending'))
  })

  it('links orders to ordered requisitions and invoices to order lines', () => {
    const byId = new Map(data.requisitions.map((r) => [r.id, r]))
    const linked = data.purchase_orders.filter((po) => po.requisition_header !== null)
    assert.ok(linked.length > 0)
    for (const po of linked) {
      const requisition = byId.get((po.requisition_header as { id: number }).id)
      assert.equal(requisition?.status, 'ordered')
      assert.equal(requisition.total, po.total)
    }
    const orderLines = new Set(
      data.purchase_orders.flatMap((po) => (po.order_lines as { id: number }[]).map((l) => l.id)),
    )
    const billed = data.invoices.flatMap((inv) => inv.invoice_lines as { order_line_id: number | null }[])
    assert.ok(billed.filter((line) => line.order_line_id !== null).length > 1000)
    for (const line of billed) if (line.order_line_id !== null) assert.ok(orderLines.has(line.order_line_id))
  })

  it('keeps natural keys unique: logins, emails, supplier names, account codes, invoice numbers', () => {
    const unique = (resource: keyof DemoData, key: string) => {
      const values = data[resource].map((r) => r[key])
      assert.equal(new Set(values).size, values.length, `${resource}.${key}`)
    }
    unique('users', 'login')
    unique('users', 'email')
    unique('suppliers', 'name')
    unique('accounts', 'code')
    unique('items', 'name')
    unique('invoices', 'invoice_number')
    unique('currencies', 'code')
    unique('payment_terms', 'code')
  })

  it('scales every count but currencies and payment terms', () => {
    const small = generateDemoData({ now: BASE, scale: 0.02 })
    const ids = idIndex(small)
    for (const resource of DEMO_RESOURCES) {
      assert.equal(small[resource].length, demoCounts(0.02)[resource], resource)
      for (const row of small[resource]) checkRecord(resource, row, ids)
    }
    assert.equal(small.currencies.length, allCurrencies.length)
  })

  it('has every ISO 4217 currency Node knows, with its precision; the five in use are active', () => {
    const byCode = new Map(data.currencies.map((c) => [c.code, c]))
    assert.equal(byCode.size, Intl.supportedValuesOf('currency').length)
    assert.ok(byCode.size > 150)
    assert.deepEqual(
      data.currencies.slice(0, 5).map((c) => [c.id, c.code, c.active]),
      [
        [1, 'USD', true],
        [2, 'EUR', true],
        [3, 'GBP', true],
        [4, 'CAD', true],
        [5, 'JPY', true],
      ],
    )
    assert.ok(data.currencies.slice(5).every((c) => c.active === false))
    const pick = (code: string) => {
      const currency = byCode.get(code)
      return { name: currency?.name, decimals: currency?.decimals, active: currency?.active }
    }
    assert.deepEqual(pick('USD'), { name: 'US Dollar', decimals: 2, active: true })
    assert.deepEqual(pick('JPY'), { name: 'Japanese Yen', decimals: 0, active: true })
    assert.deepEqual(pick('KWD'), { name: 'Kuwaiti Dinar', decimals: 3, active: false })
    assert.deepEqual(pick('IDR'), { name: 'Indonesian Rupiah', decimals: 0, active: false })
    assert.deepEqual(pick('CHF'), { name: 'Swiss Franc', decimals: 2, active: false })
  })

  it('gives users and invoices only the five active currencies', () => {
    // The users' default currencies and the invoices' currencies are among the five in use.
    const inUse = new Set(data.currencies.slice(0, 5).map((c) => c.id))
    for (const user of data.users) assert.ok(inUse.has((user.default_currency as { id: number }).id))
    for (const invoice of data.invoices) assert.ok(inUse.has((invoice.currency as { id: number }).id))
  })
})

describe('demo data depth (issue 15)', () => {
  const data = generateDemoData({ now: BASE })

  it('gives invoices tax lines that add up to the tax amount, and a bill-to and remit-to address', () => {
    for (const invoice of data.invoices) {
      const taxLines = invoice.tax_lines as Array<{ amount: string }>
      const sum = taxLines.reduce((total, line) => total + cents(line.amount), 0)
      assert.equal(sum, cents(String(invoice.tax_amount)), `invoice ${invoice.id}`)
      assert.ok(invoice.bill_to_address !== null, `invoice ${invoice.id} bill-to`)
      assert.ok(invoice.remit_to_address !== null, `invoice ${invoice.id} remit-to`)
    }
    assert.ok(data.invoices.some((invoice) => (invoice.invoice_charges as unknown[]).length > 0))
  })

  it("pays each supplier at its own remit-to address, and invoices name their supplier's", () => {
    const owner = new Map(data.remit_to_addresses.map((r) => [r.id, (r.supplier as { id: number }).id]))
    assert.equal(new Set(owner.values()).size, data.suppliers.length)
    for (const invoice of data.invoices) {
      const remitTo = (invoice.remit_to_address as { id: number }).id
      assert.equal(owner.get(remitTo), (invoice.supplier as { id: number }).id, `invoice ${invoice.id}`)
    }
  })

  it('gives accounts the chart of their company and leaves unused segments out (null)', () => {
    const types = new Map(data.account_types.map((t) => [t.id, String(t.name)]))
    for (const account of data.accounts) {
      const type = types.get((account.account_type as { id: number }).id)
      assert.ok(type?.endsWith('Chart of Accounts'), `account ${account.id}`)
      assert.equal(account.segment_4, undefined)
    }
  })

  it('prices supplier items under published contracts of the same supplier', () => {
    const contracts = new Map(data.contracts.map((c) => [c.id, c]))
    const underContract = data.supplier_items.filter((item) => item.contract !== null)
    assert.ok(underContract.length > 0)
    for (const item of underContract) {
      const contract = contracts.get((item.contract as { id: number }).id)
      assert.equal(contract?.status, 'published')
      assert.deepEqual(contract?.supplier, item.supplier)
    }
  })
})
