/**
 * Setup > Custom Fields in a real browser (Debian's Chromium driven by playwright-core): a lookup
 * field created with the form shows in the table and on the core API's records; the server's 400
 * shows next to its field; deactivating it from the table hides it from the records. Serves the
 * built pages (`npm run build -w @keyshift/web`) from an in-process instance on a loopback port.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  startInstance,
  TestClock,
  type TestInstance,
} from '../packages/server/test/instance.ts'
import { type StoreBackend, storeBackends } from '../packages/server/test/stores.ts'
import { browserSkip, launchChromium, signIn } from './support/browser.ts'
import { REPO } from './support/serve.ts'

const WEB_DIST = join(REPO, 'packages', 'web', 'dist')
const [sqlite] = storeBackends as [StoreBackend]

describe('Setup > Custom Fields in Chromium', { skip: browserSkip }, () => {
  let browser: Browser
  let t: TestInstance
  let page: Page
  before(async () => {
    assert.ok(
      existsSync(join(WEB_DIST, 'index.html')),
      'build the pages first: npm run build -w @keyshift/web',
    )
    browser = await launchChromium()
    t = await startInstance(sqlite, { clock: new TestClock(), setupUi: { root: WEB_DIST } })
    await t.instance.app.listen({ port: 0, host: '127.0.0.1' })
    const url = `http://127.0.0.1:${(t.instance.app.server.address() as AddressInfo).port}`
    page = await (await browser.newContext()).newPage()
    page.setDefaultTimeout(10_000)
    await signIn(page, url, 'admin', ADMIN_PASSWORD)
    await page.goto(`${url}/setup/custom_fields`)
    await page.getByRole('heading', { level: 1, name: 'Custom Fields' }).waitFor()
  })
  after(async () => {
    await browser?.close()
    await t?.close()
  })

  const row = () => page.getByRole('row', { name: /cost-center/ })

  it('creates a lookup field with the form; a refusal shows next to its field', async () => {
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByLabel('Resource').selectOption('purchase_orders')
    await page.getByLabel('Name').fill('Cost Center!')
    await page.getByLabel('Label').fill('Cost Center')
    await page.getByLabel('Type').selectOption('lookup')
    await page.getByLabel('Values').fill('CC-100, CC-200')
    await page.getByLabel('Required when a record is created').check()
    await page.getByRole('button', { name: 'Create custom field' }).click()
    const nameError = page.locator('#custom-field-name-error')
    await nameError.waitFor()
    assert.match(await nameError.innerText(), /^must start with a lowercase letter/)
    await page.getByLabel('Name').fill('cost-center')
    await page.getByRole('button', { name: 'Create custom field' }).click()
    await row().waitFor()
    assert.match(
      await row().innerText(),
      /purchase_orders\s+cost-center\s+Cost Center\s+lookup: CC-100, CC-200\s+Yes\s+Yes/,
    )
    const [field] = (await t.admin('GET', '/custom-fields')).json().custom_fields
    assert.deepEqual([field.name, field.values, field.required], ['cost-center', ['CC-100', 'CC-200'], true])
  })

  it('deactivates it from the table', async () => {
    await row().getByRole('button', { name: 'Deactivate purchase_orders cost-center' }).click()
    await row().getByRole('button', { name: 'Activate purchase_orders cost-center' }).waitFor()
    const [field] = (await t.admin('GET', '/custom-fields')).json().custom_fields
    assert.equal(field.active, false)
  })
})
