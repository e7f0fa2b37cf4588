import { useMemo, useState } from 'preact/hooks'
import { ApiError, api, messageOf } from '../api.ts'
import { followLink } from '../router.ts'
import type { ApiKeyView, ClientView } from '../types.ts'
import { Dialog } from './dialog.tsx'
import { ErrorMessage, Field } from './field.tsx'

interface ReplacementDialogProps {
  apiKey: ApiKeyView
  /** The instance's OAuth clients (GET /admin/v1/oauth2/clients), listed by name. */
  clients: readonly ClientView[]
  onDone: () => void
}

/** `Invoice export (invoice-export)`, and says so when the client is inactive. */
function clientLabel(client: ClientView): string {
  return `${client.name} (${client.login})${client.active ? '' : ', inactive'}`
}

/**
 * Links an API key to the OAuth client that replaces it, or unlinks it (PUT
 * /admin/v1/api-keys/:id/replacement, docs/TRANSITION.md): the transition then follows the client's
 * first call and the key's last one.
 */
export function ReplacementDialog({ apiKey, clients, onDone }: ReplacementDialogProps) {
  const current = apiKey.replacement_client_id
  const sorted = useMemo(() => [...clients].sort((a, b) => a.name.localeCompare(b.name)), [clients])
  const [chosen, setChosen] = useState(current ?? sorted[0]?.client_id ?? '')
  const [fields, setFields] = useState<Record<string, string[]>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const send = async (clientId: string | null) => {
    setError(null)
    setFields({})
    setBusy(true)
    try {
      await api('PUT', `/api-keys/${apiKey.id}/replacement`, { client_id: clientId })
      onDone()
    } catch (failure) {
      setFields(failure instanceof ApiError ? failure.fields : {})
      setError(messageOf(failure))
    } finally {
      setBusy(false)
    }
  }
  const save = (event: Event) => {
    event.preventDefault()
    void send(chosen)
  }

  return (
    <Dialog title={`Replacement client of ${apiKey.name}`} onClose={onDone}>
      <p>
        The OAuth client that takes over from this key. The key is ready to revoke once the client has called
        and the key has not, for the quiet period.
      </p>
      <ErrorMessage message={error} />
      {clients.length === 0 ? (
        <>
          <p>
            This instance has no OAuth clients yet: create one on the{' '}
            <a href="/oauth2/clients" onClick={followLink}>
              OAuth2/OpenID Connect Clients
            </a>{' '}
            page first.
          </p>
          <div class="buttons">
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={save} noValidate>
          <Field id="replacement-client" label="OAuth client" errors={fields.client_id}>
            {(aria) => (
              <select
                {...aria}
                value={chosen}
                onChange={(e) => setChosen(e.currentTarget.value)}
                // biome-ignore lint/a11y/noAutofocus: the dialog opens to choose; nothing here destroys
                autoFocus
              >
                {sorted.map((client) => (
                  <option key={client.client_id} value={client.client_id}>
                    {clientLabel(client)}
                  </option>
                ))}
                {current && !sorted.some((client) => client.client_id === current) && (
                  <option value={current}>{current}</option>
                )}
              </select>
            )}
          </Field>
          <div class="buttons">
            <button type="submit" class="primary" disabled={busy}>
              Save replacement
            </button>
            {current && (
              <button type="button" disabled={busy} onClick={() => send(null)}>
                Remove replacement
              </button>
            )}
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}
