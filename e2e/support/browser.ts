/**
 * Debian's Chromium driven by playwright-core, for the tests of the Setup pages: where it is, why a
 * suite is skipped without it, and how it is started.
 */
import { existsSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

// In CI the browser must be there (.ci/run installs it); elsewhere the suite says how to get it.
export const browserSkip =
  !existsSync(CHROMIUM) && !process.env.CI
    ? `no ${CHROMIUM}: install Debian's Chromium (apt-get install -y chromium) to run the browser tests`
    : false

/**
 * The browser runs on the machine's real clock even when the tests run on a moved one
 * (scripts/test-moved-clock.sh): Chromium under libfaketime takes about a minute to render one page.
 * The pages read no clock of their own: every time they show comes from the server.
 */
function outsideMovedClock(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([name]) => name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME'))
  return Object.fromEntries(kept)
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** Signs in on the Setup pages of `url` and waits for the first page. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'OAuth2/OpenID Connect Clients' }).waitFor()
}
