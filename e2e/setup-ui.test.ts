/**
 * The Setup pages in a real browser (Debian's Chromium driven by playwright-core) against a real
 * `keyshift serve`: sign in, create a client and use what the page copied, deactivate it, create and
 * revoke an API key, the Transition page after a migration, and no secret shown after its creation.
 * Screenshots of every page go to artifacts/screenshots/ (not committed).
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { waitFor } from './support/agent.ts'
import { REPO, type ServedInstance, serve } from './support/serve.ts'

const CHROMIUM = '/usr/bin/chromium'
const ADMIN_PASSWORD = 'e2e setup admin password'
const SHOTS = join(REPO, 'artifacts', 'screenshots')
const adminHeaders = {
  authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
  'content-type': 'application/json',
}

// In CI the browser must be there (.ci/run installs it); elsewhere the suite says how to get it.
const skip =
  !existsSync(CHROMIUM) && !process.env.CI
    ? `no ${CHROMIUM}: install Debian's Chromium (apt-get install -y chromium) to run the browser tests`
    : false

/**
 * The browser runs on the machine's real clock even when the tests run on a moved one
 * (scripts/test-moved-clock.sh): Chromium under libfaketime takes about a minute to render one page,
 * since it reads the clock in tight loops and libfaketime parses its settings on every read. A browser
 * whose clock differs from the server's is what users have anyway: the session cookie carries Max-Age,
 * not a date, so it lasts as long either way.
 */
function outsideMovedClock(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([name]) => name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME'))
  return Object.fromEntries(kept)
}

describe('Setup pages in Chromium', { skip }, () => {
  let instance: ServedInstance
  let browser: Browser
  let context: BrowserContext
  let page: Page
  /** Every secret the pages were given once: none may appear again. */
  const secrets: string[] = []
  /** Bodies of the admin API responses after each creation response, checked for those secrets. */
  const laterResponses: string[] = []
  const pageErrors: string[] = []

  const shot = async (name: string, target: Page = page) => {
    await target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
  }
  // biome-ignore lint/suspicious/noExplicitAny: JSON of the admin API, read field by field below
  const admin = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${instance.url}/admin/v1${path}`, {
      method,
      headers: adminHeaders,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`)
    return JSON.parse(text)
  }
  const go = async (link: string, heading: string | RegExp) => {
    await page
      .getByRole('navigation', { name: 'Setup' })
      .getByRole('link', { name: link, exact: true })
      .click()
    await page.getByRole('heading', { level: 1, name: heading }).waitFor()
  }
  // Page-side code as strings: this file is type-checked for Node, without the DOM's types.
  const clipboard = () => page.evaluate<string>('navigator.clipboard.readText()')

  before(async () => {
    await mkdir(SHOTS, { recursive: true })
    instance = await serve(['--demo', '--api-rate-limit', 'off'], {
      env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD },
    })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      env: outsideMovedClock(process.env),
      // As root in a container, without the background requests a closed network refuses.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: instance.url })
    page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(String(error)))
    page.on('response', async (response) => {
      if (!response.url().includes('/admin/v1/') || secrets.length === 0) return
      // The creation responses themselves: a new client or key (201) and a rotated secret.
      const creation = response.status() === 201 || response.url().endsWith('/secret')
      if (response.request().method() === 'POST' && creation) return
      laterResponses.push(await response.text().catch(() => ''))
    })
  })

  after(async () => {
    await browser?.close()
    await instance?.stop()
  })

  it('refuses a wrong password with an announced error, then signs in', async () => {
    await page.goto(`${instance.url}/`)
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor()
    await shot('sign-in')
    await page.getByLabel('Password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'OAuth2/OpenID Connect Clients' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/oauth2/clients')
    const cookie = (await context.cookies()).find((c) => c.name === 'keyshift_session')
    assert.ok(cookie, 'session cookie set')
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Strict')
  })

  let client: { clientId: string; secret: string; scope: string; token: string }

  it('shows field errors from the admin API next to their field', async () => {
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByLabel('Name', { exact: true }).fill('No scopes')
    await page.getByLabel('Login', { exact: true }).fill('no-scopes')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('alert').filter({ hasText: 'choose at least one scope' }).waitFor()
    // A login that is taken: the demo client's.
    const demo = (await admin('GET', '/oauth2/clients')).clients[0]
    await page.getByLabel('Login', { exact: true }).fill(demo.login)
    await page.getByLabel('Search scopes').fill('core.item.read')
    await page.getByRole('checkbox', { name: /core\.item\.read/ }).check()
    await page.getByRole('button', { name: 'Save' }).click()
    const loginError = page.locator('#client-login-error')
    await loginError.waitFor()
    assert.equal(await loginError.textContent(), 'Login has already been taken')
    assert.equal(await page.getByLabel('Login', { exact: true }).getAttribute('aria-invalid'), 'true')
    await shot('clients-create-errors')
    await page.getByRole('button', { name: 'Cancel' }).click()
  })

  it('creates a client with two scopes; the copied values get a token from the token endpoint', async () => {
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Invoice archive')
    await page.getByLabel('Grant type').selectOption('client_credentials')
    await page.getByLabel('Login', { exact: true }).fill('invoice-archive')
    await page.getByLabel('Contact email').fill('integrations@example.com')
    await page.getByLabel('Search scopes').fill('invoice.read')
    await page.getByRole('checkbox', { name: /core\.invoice\.read/ }).check()
    await page.getByLabel('Search scopes').fill('common.read')
    await page.getByRole('checkbox', { name: /core\.common\.read/ }).check()
    await page.getByLabel('Search scopes').fill('')
    await shot('clients-create')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('textbox', { name: 'Identifier' }).waitFor()

    const secretBox = page.getByLabel('Secret', { exact: true })
    assert.equal(await secretBox.getAttribute('type'), 'password', 'the secret starts hidden')
    await page.getByRole('button', { name: 'Show' }).click()
    assert.equal(await page.getByLabel('Secret', { exact: true }).getAttribute('type'), 'text')
    await page.getByRole('button', { name: 'Hide' }).click()
    await shot('clients-created')

    await page.getByRole('button', { name: 'Copy Identifier' }).click()
    const clientId = await clipboard()
    await page.getByRole('button', { name: 'Copy Secret' }).click()
    const secret = await clipboard()
    await page.getByRole('button', { name: 'Copy Oidc Scopes' }).click()
    const scope = await clipboard()
    await page.getByRole('button', { name: 'Copy curl command with the secret' }).click()
    const curl = await clipboard()
    assert.match(clientId, /^[0-9a-f]{32}$/)
    assert.match(secret, /^[0-9a-f]{64}$/)
    assert.equal(scope, 'core.invoice.read core.common.read')
    assert.ok(
      curl.includes(
        `client_id=${clientId}&grant_type=client_credentials&scope=${scope}&client_secret=${secret}`,
      ),
    )
    assert.ok(curl.endsWith(`${instance.url}/oauth2/token`))
    secrets.push(secret)

    const response = await fetch(`${instance.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        grant_type: 'client_credentials',
        scope,
        client_secret: secret,
      }),
    })
    assert.equal(response.status, 200)
    const { access_token: token } = (await response.json()) as { access_token: string }
    const api = await fetch(`${instance.url}/api/invoices?limit=1`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    })
    assert.equal(api.status, 200)
    client = { clientId, secret, scope, token }

    // The Postman collection and its environment, made in the page for this instance and client.
    const download = async (link: string, file: string) => {
      const [saved] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: link, exact: true }).click(),
      ])
      assert.equal(saved.suggestedFilename(), file)
      const text = await readFile(await saved.path(), 'utf8')
      assert.ok(!text.includes(secret), `${file} holds no secret`)
      return JSON.parse(text)
    }
    const collection = await download(
      'Download Postman collection',
      'invoice-archive.postman_collection.json',
    )
    assert.equal(collection.auth.type, 'oauth2')
    const environment = await download('Postman environment', 'invoice-archive.postman_environment.json')
    assert.deepEqual(
      environment.values.map((v: { key: string; value: string }) => `${v.key}=${v.value}`),
      [`base_url=${instance.url}`, `client_id=${clientId}`, `scope=${scope}`, 'client_secret='],
    )
    await page.getByRole('button', { name: /^Done/ }).click()
    await page.getByRole('row', { name: /Invoice archive/ }).waitFor()
  })

  it('deactivates the client: its token and its secret are refused', async () => {
    await page.getByRole('button', { name: 'Deactivate Invoice archive' }).click()
    await page.getByRole('button', { name: 'Activate Invoice archive' }).waitFor()
    await shot('clients')
    const api = await fetch(`${instance.url}/api/invoices?limit=1`, {
      headers: { authorization: `Bearer ${client.token}`, accept: 'application/json' },
    })
    assert.equal(api.status, 401)
    const token = await fetch(`${instance.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: client.clientId,
        grant_type: 'client_credentials',
        client_secret: client.secret,
      }),
    })
    assert.equal(token.status, 401)
    assert.equal(((await token.json()) as { error: string }).error, 'invalid_client')
    await page.getByRole('button', { name: 'Activate Invoice archive' }).click()
    await page.getByRole('button', { name: 'Deactivate Invoice archive' }).waitFor()
  })

  it('edits scopes behind a warning, and rotates the secret with its grace period', async () => {
    await page.getByRole('button', { name: 'Edit scopes of Invoice archive' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit scopes of Invoice archive' })
    await dialog.getByText('Token requests that pass the old scopes will change').waitFor()
    await dialog.getByLabel('Search scopes').fill('common.read')
    await dialog.getByRole('checkbox', { name: /core\.common\.read/ }).uncheck()
    await shot('clients-edit-scopes')
    await dialog.getByRole('button', { name: 'Save scopes' }).click()
    await page
      .getByRole('row', { name: /Invoice archive/ })
      .filter({ hasNotText: 'core.common.read' })
      .waitFor()

    await page.getByRole('button', { name: 'Rotate secret of Invoice archive' }).click()
    const rotate = page.getByRole('dialog', { name: 'Rotate secret of Invoice archive' })
    await rotate.getByLabel('Grace period (hours)').fill('2')
    await rotate.getByRole('button', { name: 'Rotate secret' }).click()
    await rotate.getByText(/The previous secret keeps working until \d{4}-\d\d-\d\d \d\d:\d\d UTC/).waitFor()
    await rotate.getByRole('button', { name: 'Copy New secret' }).click()
    const rotated = await clipboard()
    assert.match(rotated, /^[0-9a-f]{64}$/)
    secrets.push(rotated)
    await shot('clients-rotated')
    await rotate.getByRole('button', { name: /^Done/ }).click()
    // Both secrets work during the grace period.
    for (const secret of [client.secret, rotated]) {
      const response = await fetch(`${instance.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: client.clientId,
          grant_type: 'client_credentials',
          client_secret: secret,
        }),
      })
      assert.equal(response.status, 200)
    }
  })

  it('creates an API key shown once, then revokes it after seeing its recent use', async () => {
    await go('API Keys', 'API Keys')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Nightly supplier sync')
    await page.getByLabel('Contact login').fill('ops')
    await page.getByLabel('Contact email').fill('ops@example.com')
    await page.getByRole('button', { name: 'Create key' }).click()
    await page.getByRole('textbox', { name: 'API key' }).waitFor()
    await page.getByText('it cannot be shown again').waitFor()
    await shot('api-keys-created')
    await page.getByRole('button', { name: 'Copy API key' }).click()
    const key = await clipboard()
    assert.match(key, /^[A-Za-z0-9]{40}$/)
    secrets.push(key)
    await page.getByRole('button', { name: /^Done/ }).click()

    const call = () =>
      fetch(`${instance.url}/api/suppliers?limit=1`, {
        headers: { 'x-coupa-api-key': key, accept: 'application/json' },
      })
    assert.equal((await call()).status, 200)
    assert.equal((await call()).status, 200)
    // The usage ledger writes its counts every 5 s.
    await waitFor(
      async () =>
        (await admin('GET', '/transition/review')).api_keys.some(
          (k: { calls: { last_7d: number } }) => k.calls.last_7d === 2,
        ),
      () => 'the two calls were never counted',
    )
    await page.reload()
    const row = page.getByRole('row', { name: /Nightly supplier sync/ })
    await row.getByRole('cell', { name: '2', exact: true }).waitFor()
    await shot('api-keys')

    await page.getByRole('button', { name: 'Revoke Nightly supplier sync' }).click()
    const dialog = page.getByRole('dialog', { name: 'Revoke API key Nightly supplier sync?' })
    await dialog.getByText('calls in the last 7 days').waitFor()
    assert.match(await dialog.innerText(), /2 calls in the last 7 days/)
    assert.match(await dialog.innerText(), /suppliers#index: 2/)
    // No OAuth client has replaced it: the page says so, and revokes only when told to anyway.
    await dialog.getByText(/Not ready to revoke: in_use/).waitFor()
    await shot('api-keys-revoke')
    await dialog.getByRole('button', { name: 'Revoke anyway' }).click()
    await row.getByText(/^Revoked \d{4}-\d\d-\d\d$/).waitFor()
    assert.equal((await call()).status, 401)
  })

  it('shows the Scopes page with the API actions each scope grants', async () => {
    await go('Scopes', 'Scopes')
    await page.getByLabel('Search scopes').fill('core.invoice.delete')
    const row = page.getByRole('row', { name: /core\.invoice\.delete/ })
    assert.match(await row.innerText(), /\/api\/invoices: abandon, void/)
    await page.getByLabel('Search scopes').fill('')
    await shot('scopes')
  })

  it('shows the Transition page after a key moved to its OAuth client, and revokes it there', async () => {
    await admin('PUT', '/transition/settings', { quiet_period_seconds: 1 })
    const created = await admin('POST', '/api-keys', {
      name: 'Master data sync',
      contact_login: 'mdm',
      contact_email: 'mdm@example.com',
    })
    const other = await admin('POST', '/api-keys', {
      name: 'Invoice feed',
      contact_login: 'feed',
      contact_email: 'feed@example.com',
    })
    secrets.push(created.key, other.key)
    const keyCall = (key: string, path: string) =>
      fetch(`${instance.url}${path}`, { headers: { 'x-coupa-api-key': key, accept: 'application/json' } })
    assert.equal((await keyCall(created.key, '/api/suppliers?limit=1')).status, 200)
    assert.equal((await keyCall(other.key, '/api/invoices?limit=1')).status, 200)
    const replacement = await admin('POST', '/oauth2/clients', {
      name: 'Master data sync (OAuth)',
      login: 'mdm-oauth',
      scopes: ['core.supplier.read'],
    })
    secrets.push(replacement.client_secret)
    await admin('PUT', `/api-keys/${created.id}/replacement`, { client_id: replacement.id })
    // The ledger must see the key call before the client's first call: one flush in between.
    await waitFor(
      async () =>
        (await admin('GET', '/transition/status')).keys.some(
          (k: { api_key_id: string; last_key_call_at: string | null }) =>
            k.api_key_id === created.id && k.last_key_call_at !== null,
        ),
      () => 'the key call was never counted',
    )
    const token = await fetch(`${instance.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: replacement.client_id,
        grant_type: 'client_credentials',
        client_secret: replacement.client_secret,
      }),
    })
    const { access_token } = (await token.json()) as { access_token: string }
    const oauthCall = await fetch(`${instance.url}/api/suppliers?limit=1`, {
      headers: { authorization: `Bearer ${access_token}`, accept: 'application/json' },
    })
    assert.equal(oauthCall.status, 200)
    await waitFor(
      async () =>
        (await admin('GET', '/transition/status')).keys.some(
          (k: { api_key_id: string; state: string }) =>
            k.api_key_id === created.id && k.state === 'ready_to_revoke',
        ),
      () => 'the key never became ready to revoke',
    )

    await go('Transition', 'Transition to OAuth 2.0')
    const status = (await admin('GET', '/transition/status')).keys as Array<{ state: string }>
    const states = page.getByRole('list', { name: 'API keys by transition state' })
    for (const [state, label] of [
      ['in_use', 'In use'],
      ['migrating', 'Migrating'],
      ['ready_to_revoke', 'Ready to revoke'],
      ['revoked', 'Revoked'],
    ]) {
      const expected = status.filter((k) => k.state === state).length
      assert.equal(
        (await states.getByRole('listitem').filter({ hasText: label }).innerText())
          .replace(/\s+/g, ' ')
          .trim(),
        `${expected} ${label}`,
      )
    }
    // Counts are written for people (12,345): the demo's transition has 30 days of calls.
    const chart = page.getByRole('img', {
      name: /API-key calls \([\d,]+\) versus OAuth calls \([\d,]+\) per day/,
    })
    const [, keyCalls, oauthCalls] = (
      /\(([\d,]+)\) versus OAuth calls \(([\d,]+)\)/.exec((await chart.getAttribute('aria-label')) ?? '') ??
      []
    ).map((text) => text?.replaceAll(',', ''))
    assert.ok(Number(keyCalls) >= 4, `API-key calls ${keyCalls}`)
    assert.ok(Number(oauthCalls) >= 1, `OAuth calls ${oauthCalls}`)
    const row = page.getByRole('row', { name: /Master data sync/ }).first()
    assert.match(await row.innerText(), /Ready to revoke/)
    assert.match(await row.innerText(), /Master data sync \(OAuth\)/)
    const feed = page.getByRole('row', { name: /Invoice feed/ })
    assert.match(await feed.innerText(), /Phase 2 \(transactional\)/)
    await shot('transition')

    // Not ready: the page says why and offers to revoke anyway; ready: revoked at once.
    await feed.getByRole('button', { name: 'Revoke Invoice feed' }).click()
    const refuse = page.getByRole('dialog', { name: 'Revoke API key Invoice feed?' })
    await refuse.getByText(/Not ready to revoke: in_use/).waitFor()
    await refuse.getByRole('button', { name: 'Revoke anyway' }).waitFor()
    await refuse.getByRole('button', { name: 'Cancel' }).click()
    await row.getByRole('button', { name: 'Revoke Master data sync' }).click()
    const confirm = page.getByRole('dialog', { name: 'Revoke API key Master data sync?' })
    await confirm.getByRole('button', { name: 'Revoke key' }).click()
    await page
      .getByRole('row', { name: /Master data sync/ })
      .first()
      .getByText('Revoked', { exact: true })
      .waitFor()
    assert.equal((await keyCall(created.key, '/api/suppliers?limit=1')).status, 401)
    assert.equal((await keyCall(other.key, '/api/invoices?limit=1')).status, 200)
    await shot('transition-after-revoke')
  })

  it('never shows a secret or key again after its creation response', async () => {
    assert.ok(secrets.length >= 5)
    for (const [link, heading] of [
      ['API Keys', 'API Keys'],
      ['OAuth2/OpenID Connect Clients', 'OAuth2/OpenID Connect Clients'],
      ['Scopes', 'Scopes'],
      ['Transition', 'Transition to OAuth 2.0'],
    ] as const) {
      await go(link, heading)
      await page.waitForLoadState('networkidle')
      await page.reload()
      await page.getByRole('heading', { level: 1, name: heading }).waitFor()
      await page.waitForLoadState('networkidle')
      const html = await page.content()
      for (const secret of secrets) assert.ok(!html.includes(secret), `${link} shows a secret`)
    }
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie',
    )
    for (const secret of secrets) assert.ok(!stored.includes(secret), 'a secret is in browser storage')
    assert.ok(laterResponses.length > 10, `only ${laterResponses.length} admin responses seen`)
    for (const body of laterResponses) {
      for (const secret of secrets)
        assert.ok(!body.includes(secret), 'an admin API response repeats a secret')
    }
  })

  it('labels every control, and fits a phone screen', async () => {
    // Controls with neither a <label> nor a name of their own.
    const unlabelled = await page.evaluate<string[]>(`
      [...document.querySelectorAll('input, select, button, a')]
        .filter((el) => !(el.labels && el.labels.length > 0) && (el.getAttribute('aria-label') ?? el.textContent.trim()) === '')
        .map((el) => el.outerHTML.slice(0, 80))`)
    assert.deepEqual(unlabelled, [])
    const phone = await context.newPage()
    await phone.setViewportSize({ width: 390, height: 844 })
    for (const [path, name] of [
      ['/api_keys', 'phone-api-keys'],
      ['/oauth2/clients', 'phone-clients'],
      ['/setup/transition', 'phone-transition'],
    ] as const) {
      await phone.goto(`${instance.url}${path}`)
      await phone.getByRole('heading', { level: 1 }).first().waitFor()
      const overflow = await phone.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      )
      assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the phone`)
      await shot(name, phone)
    }
    await phone.close()
  })

  it('is usable by keyboard: Tab reaches the navigation and Enter follows it', async () => {
    await page.goto(`${instance.url}/oauth2/scopes`)
    await page.getByRole('heading', { level: 1, name: 'Scopes' }).waitFor()
    await page.keyboard.press('Tab') // skip link
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to content')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'API Keys')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'API Keys' }).waitFor()
  })

  it('signs out: the pages ask to sign in again and the old cookie no longer works', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'keyshift_session')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    await page.reload()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    const replay = await fetch(`${instance.url}/admin/v1/oauth2/clients`, {
      headers: { cookie: `keyshift_session=${cookie?.value}` },
    })
    assert.equal(replay.status, 401)
    assert.deepEqual(pageErrors, [])
  })
})
