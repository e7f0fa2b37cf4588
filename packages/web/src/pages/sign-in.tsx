import { useState } from 'preact/hooks'
import { ApiError, api, messageOf } from '../api.ts'
import { ErrorMessage, Field } from '../components/field.tsx'
import { navigate } from '../router.ts'
import type { SessionView } from '../types.ts'

/** The sign-in form of the admin user (the first one is `admin`; its password is in the data folder). */
export function SignIn({ onSignedIn }: { onSignedIn: (session: SessionView) => void }) {
  const [username, setUsername] = useState('admin')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [fields, setFields] = useState<Record<string, string[]>>({})
  const [busy, setBusy] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    try {
      const session = await api<SessionView>('POST', '/session', { username, password })
      setPassword('')
      if (location.pathname === '/' || location.pathname === '/sign_in') navigate('/oauth2/clients')
      onSignedIn(session)
    } catch (failure) {
      const wrong = failure instanceof ApiError && failure.status === 401
      setFields(failure instanceof ApiError && !wrong ? failure.fields : {})
      setError(wrong ? 'Wrong username or password.' : messageOf(failure))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="sign-in" id="main">
      <h1>Keyshift Setup</h1>
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <p id="sign-in-help" class="hint">
          Sign in as an admin user. The first password is in <code>keyshift-data/admin-password.txt</code> or
          in KEYSHIFT_ADMIN_PASSWORD.
        </p>
        <ErrorMessage message={error} />
        <Field id="username" label="Username" errors={fields.username}>
          {(aria) => (
            <input
              {...aria}
              name="username"
              autocomplete="username"
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="password" label="Password" errors={fields.password}>
          {(aria) => (
            <input
              {...aria}
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
