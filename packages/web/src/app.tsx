import { useEffect, useState } from 'preact/hooks'
import { ApiError, api, messageOf, useSession } from './api.ts'
import { ErrorMessage } from './components/field.tsx'
import { ApiKeysPage } from './pages/api-keys.tsx'
import { ClientsPage } from './pages/clients.tsx'
import { CustomFieldsPage } from './pages/custom-fields.tsx'
import { ScopesPage } from './pages/scopes.tsx'
import { SignIn } from './pages/sign-in.tsx'
import { TransitionPage } from './pages/transition.tsx'
import { followLink, navigate, PAGES, usePath } from './router.ts'
import type { SessionView } from './types.ts'

const HOME = '/oauth2/clients'

export function App() {
  const path = usePath()
  // undefined: not known yet; null: signed out.
  const [session, setSession] = useState<SessionView | null | undefined>(undefined)
  const [problem, setProblem] = useState<string | null>(null)
  useSession(session ?? null, () => setSession(null))

  useEffect(() => {
    api<SessionView>('GET', '/session').then(setSession, (error) => {
      if (!(error instanceof ApiError && error.status === 401)) setProblem(messageOf(error))
      setSession(null)
    })
  }, [])

  const page = PAGES.find((p) => p.path === path)
  useEffect(() => {
    document.title = session && page ? `${page.title} · Keyshift Setup` : 'Sign in · Keyshift Setup'
    if (session && !page) navigate(HOME)
  }, [session, page])

  if (session === undefined) return <p class="loading">Loading…</p>
  if (session === null) {
    return (
      <>
        <ErrorMessage message={problem} />
        <SignIn onSignedIn={setSession} />
      </>
    )
  }

  const signOut = async () => {
    try {
      await api('DELETE', '/session')
    } catch {
      // signed out either way
    }
    setSession(null)
    navigate('/sign_in')
  }

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Keyshift Setup</span>
        <nav aria-label="Setup">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={p.path} onClick={followLink} aria-current={p.path === path ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {session.username}{' '}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {path === '/api_keys' && <ApiKeysPage />}
        {path === '/oauth2/clients' && <ClientsPage />}
        {path === '/oauth2/scopes' && <ScopesPage />}
        {path === '/setup/transition' && <TransitionPage />}
        {path === '/setup/custom_fields' && <CustomFieldsPage />}
      </main>
    </>
  )
}
