/**
 * The transition on the Setup pages in a real browser (Debian's Chromium driven by playwright-core):
 * a key's replacement OAuth client on the API Keys page, the transition settings on the Transition
 * page with the admin API's 400s next to their fields, and the Transition page of an instance without
 * API keys. Each suite serves the built pages (`npm run build -w @keyshift/web`, which `npm test` runs
 * first) from an in-process instance on a loopback port, on a test clock. Screenshots go to
 * artifacts/screenshots/ (not committed).
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  ADMIN_PASSWORD,
  type CreatedClient,
  startInstance,
  TestClock,
  type TestInstance,
} from '../packages/server/test/instance.ts'
import { type StoreBackend, storeBackends } from '../packages/server/test/stores.ts'
import { browserSkip, launchChromium, signIn } from './support/browser.ts'
import { REPO } from './support/serve.ts'

const WEB_DIST = join(REPO, 'packages', 'web', 'dist')
const SHOTS = join(REPO, 'artifacts', 'screenshots')
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
const [sqlite] = storeBackends as [StoreBackend]

interface ServedPages {
  t: TestInstance
  url: string
  context: BrowserContext
  page: Page
  pageErrors: string[]
  // biome-ignore lint/suspicious/noExplicitAny: JSON of the admin API, read field by field below
  admin(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<any>
  close(): Promise<void>
}

/** An instance with the Setup pages on 127.0.0.1, and a signed-in page of a new browser context. */
async function servePages(browser: Browser): Promise<ServedPages> {
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), 'build the pages first: npm run build -w @keyshift/web')
  const t = await startInstance(sqlite, { clock: new TestClock(), setupUi: { root: WEB_DIST } })
  await t.instance.app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(t.instance.app.server.address() as AddressInfo).port}`
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  // A missing control fails the test in seconds, not at the runner's limit.
  page.setDefaultTimeout(10_000)
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(String(error)))
  await signIn(page, url, 'admin', ADMIN_PASSWORD)
  return {
    t,
    url,
    context,
    page,
    pageErrors,
    async admin(method, path, body) {
      const response = await t.admin(method, path, body)
      assert.ok(response.statusCode < 300, `${method} ${path}: ${response.statusCode} ${response.body}`)
      return response.json()
    },
    async close() {
      await context.close()
      await t.close()
    },
  }
}

const newKey = (name: string, login: string) => ({
  name,
  contact_login: login,
  contact_email: `${login}@example.com`,
})

describe('Setup pages of the transition in Chromium', { skip: browserSkip }, () => {
  let browser: Browser
  before(async () => {
    await mkdir(SHOTS, { recursive: true })
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
  })

  describe('API Keys: the OAuth client that replaces a key', () => {
    let served: ServedPages
    let page: Page
    let keyId: string
    let client: CreatedClient
    before(async () => {
      served = await startWithKey()
      page = served.page
      await page.goto(`${served.url}/api_keys`)
      await page.getByRole('heading', { level: 1, name: 'API Keys' }).waitFor()
    })
    after(async () => {
      await served?.close()
    })

    async function startWithKey() {
      const s = await servePages(browser)
      keyId = (await s.admin('POST', '/api-keys', newKey('Nightly supplier sync', 'ops'))).id
      client = await s.t.createClient({
        name: 'Supplier sync (OAuth)',
        login: 'supplier-sync',
        scopes: ['core.supplier.read'],
      })
      await s.t.createClient({ name: 'Invoice export', login: 'invoice-export' })
      return s
    }

    const row = () => page.getByRole('row', { name: /Nightly supplier sync/ })
    const replacementCell = () => row().getByRole('cell', { name: 'Supplier sync (OAuth)', exact: true })

    it('sets it from the instance’s clients, shows it in the table, and the transition follows', async () => {
      assert.equal(await replacementCell().count(), 0)
      await row().getByRole('button', { name: 'Replacement client of Nightly supplier sync' }).click()
      const dialog = page.getByRole('dialog', { name: 'Replacement client of Nightly supplier sync' })
      const select = dialog.getByLabel('OAuth client')
      assert.deepEqual(await select.locator('option').allTextContents(), [
        'Invoice export (invoice-export)',
        'Supplier sync (OAuth) (supplier-sync)',
      ])
      await select.selectOption({ label: 'Supplier sync (OAuth) (supplier-sync)' })
      await shot(page, 'api-keys-replacement')
      await dialog.getByRole('button', { name: 'Save replacement' }).click()
      await replacementCell().waitFor()
      await dialog.waitFor({ state: 'detached' })
      await shot(page, 'api-keys-replaced')

      const key = await served.admin('GET', `/api-keys/${keyId}`)
      assert.equal(key.replacement_client_id, client.client_id)
      const status = await served.admin('GET', '/transition/status')
      assert.equal(status.keys[0].replacement_client_name, 'Supplier sync (OAuth)')
    })

    it('clears it by keyboard: the dialog opens on the current client, Remove replacement unlinks', async () => {
      await row().getByRole('button', { name: 'Replacement client of Nightly supplier sync' }).focus()
      await page.keyboard.press('Enter')
      const dialog = page.getByRole('dialog', { name: 'Replacement client of Nightly supplier sync' })
      const select = dialog.getByLabel('OAuth client')
      await select.waitFor()
      assert.equal(await select.inputValue(), client.client_id)
      assert.equal(await page.evaluate('document.activeElement?.id'), 'replacement-client')
      await page.keyboard.press('Tab') // Save replacement
      await page.keyboard.press('Tab')
      assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Remove replacement')
      await page.keyboard.press('Enter')
      await dialog.waitFor({ state: 'detached' })
      await replacementCell().waitFor({ state: 'detached' })

      const key = await served.admin('GET', `/api-keys/${keyId}`)
      assert.equal(key.replacement_client_id, null)
      assert.deepEqual(served.pageErrors, [])
    })
  })

  describe('Transition: the settings', () => {
    let served: ServedPages
    let page: Page
    let keyId: string
    before(async () => {
      served = await servePages(browser)
      page = served.page
      keyId = (await served.admin('POST', '/api-keys', newKey('Invoice feed', 'feed'))).id
      await page.goto(`${served.url}/setup/transition`)
      await page.getByRole('heading', { level: 1, name: 'Transition to OAuth 2.0' }).waitFor()
    })
    after(async () => {
      await served?.close()
    })

    const settings = () => page.getByRole('region', { name: 'Settings', exact: true })
    const brownout = (n: number) => settings().getByRole('group', { name: `Brownout ${n}`, exact: true })

    it('changes the quiet period and adds a brownout for one key', async () => {
      const quiet = settings().getByLabel('Quiet period', { exact: true })
      const unit = settings().getByLabel('Unit of the quiet period')
      assert.equal(await quiet.inputValue(), '7')
      assert.equal(await unit.inputValue(), '86400')
      await quiet.fill('3')
      await unit.selectOption({ label: 'hours' })
      await settings().getByRole('button', { name: 'Add brownout' }).click()
      // The new window's start has the focus.
      assert.equal(await page.evaluate('document.activeElement?.id'), 'brownout-1-starts_at')
      await page.keyboard.type('2026-12-01T09:00:00Z')
      await brownout(1).getByLabel('Ends at').fill('2026-12-01T10:00:00Z')
      await brownout(1).getByLabel('API key').selectOption({ label: 'Invoice feed' })
      await shot(page, 'transition-settings')
      await settings().getByRole('button', { name: 'Save settings' }).click()
      await settings().getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()

      const stored = await served.admin('GET', '/transition/settings')
      assert.equal(stored.quiet_period_seconds, 3 * 3600)
      assert.deepEqual(
        stored.brownouts.map(({ id: _, ...window }: { id: string }) => window),
        [{ starts_at: '2026-12-01T09:00:00.000Z', ends_at: '2026-12-01T10:00:00.000Z', api_key_id: keyId }],
      )
      // The page's account of the rule follows, and a reload shows what is stored.
      await page.getByText(/for the quiet period \(3 h\)\./).waitFor()
      await page.reload()
      await brownout(1).waitFor()
      assert.equal(await settings().getByLabel('Quiet period', { exact: true }).inputValue(), '3')
      assert.equal(await settings().getByLabel('Unit of the quiet period').inputValue(), '3600')
      assert.equal(await brownout(1).getByLabel('Starts at').inputValue(), '2026-12-01T09:00:00.000Z')
      assert.equal(await brownout(1).getByLabel('API key').inputValue(), keyId)
    })

    it('shows the admin API’s 400 next to each field it names, and saves nothing until it is right', async () => {
      const field = (label: string) => settings().getByLabel(label, { exact: true })
      const errorOf = (id: string) => page.locator(`#${id}-error`)
      const save = () => settings().getByRole('button', { name: 'Save settings' }).click()

      await field('Quiet period').fill('0')
      await field('Deprecation date').fill('next Tuesday')
      await save()
      await errorOf('settings-deprecation_at').waitFor()
      assert.equal(
        await errorOf('settings-deprecation_at').textContent(),
        'must be an ISO 8601 time such as 2026-12-01T00:00:00Z',
      )
      assert.equal(await field('Deprecation date').getAttribute('aria-invalid'), 'true')
      assert.equal(
        await errorOf('settings-quiet_period_seconds').textContent(),
        'must be a whole number of seconds from 1 to 31536000',
      )
      assert.match(await settings().locator('.error').innerText(), /deprecation_at: must be an ISO 8601 time/)

      // A date the schema takes but the rules refuse: a sunset before the deprecation.
      await field('Quiet period').fill('3')
      await field('Deprecation date').fill('2026-12-01T00:00:00Z')
      await field('Sunset date').fill('2026-11-30T00:00:00Z')
      await save()
      await errorOf('settings-sunset_at').waitFor()
      assert.equal(await errorOf('settings-sunset_at').textContent(), 'must not be before deprecation_at')
      assert.equal(await errorOf('settings-deprecation_at').count(), 0)

      // A brownout that ends before it starts: the error is at that brownout's end.
      await field('Sunset date').fill('2027-01-31T00:00:00Z')
      await brownout(1).getByLabel('Ends at').fill('2026-12-01T08:00:00Z')
      await save()
      await errorOf('brownout-1-ends_at').waitFor()
      assert.equal(await errorOf('brownout-1-ends_at').textContent(), 'must be after starts_at')
      await shot(page, 'transition-settings-errors')
      assert.equal(await errorOf('settings-sunset_at').count(), 0)

      const unchanged = await served.admin('GET', '/transition/settings')
      assert.equal(unchanged.deprecation_at, null)
      assert.equal(unchanged.sunset_at, null)
      assert.equal(unchanged.brownouts[0].ends_at, '2026-12-01T10:00:00.000Z')

      await brownout(1).getByLabel('Ends at').fill('2026-12-01T11:00:00Z')
      await save()
      await settings().getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()
      assert.equal(await settings().locator('.field-error').count(), 0)
      const stored = await served.admin('GET', '/transition/settings')
      assert.equal(stored.deprecation_at, '2026-12-01T00:00:00.000Z')
      assert.equal(stored.sunset_at, '2027-01-31T00:00:00.000Z')
      assert.equal(stored.brownouts[0].ends_at, '2026-12-01T11:00:00.000Z')
    })

    it('removes a brownout, labels every control and fits a phone screen', async () => {
      await brownout(1).getByRole('button', { name: 'Remove brownout 1' }).click()
      await brownout(1).waitFor({ state: 'detached' })
      assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Add brownout')
      await settings().getByRole('button', { name: 'Add brownout' }).click()
      const unlabelled = await page.evaluate<string[]>(`
        [...document.querySelectorAll('input, select, button, a')]
          .filter((el) => !(el.labels && el.labels.length > 0) && (el.getAttribute('aria-label') ?? el.textContent.trim()) === '')
          .map((el) => el.outerHTML.slice(0, 80))`)
      assert.deepEqual(unlabelled, [])
      await page.setViewportSize({ width: 390, height: 844 })
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
      assert.ok(overflow <= 0, `the Transition page is ${overflow}px wider than the phone`)
      await shot(page, 'phone-transition-settings')
      await page.setViewportSize({ width: 1280, height: 900 })
      assert.deepEqual(served.pageErrors, [])
    })
  })

  describe('Transition: an instance without API keys', () => {
    let served: ServedPages
    before(async () => {
      served = await servePages(browser)
    })
    after(async () => {
      await served?.close()
    })

    it('says there is nothing to move and where keys come from', async () => {
      const { page } = served
      await page.goto(`${served.url}/setup/transition`)
      await page.getByRole('heading', { level: 2, name: 'Nothing to move' }).waitFor()
      await shot(page, 'transition-empty')
      const main = page.getByRole('main')
      assert.match(
        await main.innerText(),
        /This instance has no API keys: its integrations already use OAuth clients/,
      )
      assert.match(await main.innerText(), /keyshift admin api-keys create/)
      assert.equal(await page.getByRole('list', { name: 'API keys by transition state' }).count(), 0)
      assert.equal(await page.getByRole('table').count(), 0)
      await main.getByRole('link', { name: 'API Keys', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: 'API Keys' }).waitFor()
      assert.deepEqual(served.pageErrors, [])
    })
  })
})
