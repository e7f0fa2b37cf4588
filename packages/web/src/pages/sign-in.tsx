import { ApiError, api } from '../api.ts'
import { ErrorMessage } from '../components/field.tsx'
import { useForm } from '../components/form.tsx'
import { navigate } from '../router.ts'
import type { SessionView } from '../types.ts'

/** POST /session. A 401 here means a wrong name or password, not a session that ended. */
async function signIn(credentials: { username: string; password: string }): Promise<SessionView> {
  try {
    return await api<SessionView>('POST', '/session', credentials)
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) {
      throw new ApiError(401, 'Wrong username or password.')
    }
    throw failure
  }
}

/** The sign-in form of the admin user (the first one is `admin`; its password is in the data folder). */
export function SignIn({ onSignedIn }: { onSignedIn: (session: SessionView) => void }) {
  const form = useForm('sign-in', { username: 'admin', password: '' })
  const submit = form.onSubmit(async () => {
    const session = await signIn(form.values)
    if (location.pathname === '/' || location.pathname === '/sign_in') navigate('/oauth2/clients')
    onSignedIn(session)
  })

  return (
    <main class="sign-in" id="main">
      <h1>Keyshift Setup</h1>
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <p id="sign-in-help" class="hint">
          Sign in as an admin user. The first password is in <code>keyshift-data/admin-password.txt</code> or
          in KEYSHIFT_ADMIN_PASSWORD.
        </p>
        <ErrorMessage message={form.error} />
        {form.text('username', 'Username', { required: true, autocomplete: 'username' })}
        {form.text('password', 'Password', {
          type: 'password',
          required: true,
          autocomplete: 'current-password',
        })}
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
