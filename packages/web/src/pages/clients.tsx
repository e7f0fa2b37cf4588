import { useMemo, useState } from 'preact/hooks'
import { ApiError, api, messageOf } from '../api.ts'
import { CopyButton, CopyValue, SecretValue } from '../components/copy.tsx'
import { Dialog } from '../components/dialog.tsx'
import { ErrorMessage, Field } from '../components/field.tsx'
import { FormButtons, optional, useForm } from '../components/form.tsx'
import { useLoad } from '../components/load.ts'
import type { PickerOption } from '../components/picker.tsx'
import { PostmanLinks } from '../components/postman-links.tsx'
import { RowButton, Table } from '../components/table.tsx'
import { day, when } from '../format.ts'
import { scopesByGroup } from '../scope-groups.ts'
import type {
  ClientList,
  ClientView,
  CreatedClientView,
  RotatedSecret,
  ScopeList,
  ScopeView,
} from '../types.ts'

type Mode =
  | { kind: 'list' }
  | { kind: 'create' }
  | { kind: 'created'; client: CreatedClientView }
  | { kind: 'scopes'; client: ClientView }
  | { kind: 'rotate'; client: ClientView }

/** Setup > OAuth2/OpenID Connect Clients: create, show once, activate/deactivate, edit scopes, rotate. */
export function ClientsPage() {
  const clients = useLoad(() => api<ClientList>('GET', '/oauth2/clients'))
  const scopes = useLoad(() => api<ScopeList>('GET', '/scopes'))
  const [mode, setMode] = useState<Mode>({ kind: 'list' })
  const [error, setError] = useState<string | null>(null)
  const options = useMemo(() => scopeOptions(scopes.data?.scopes ?? []), [scopes.data])
  const done = () => {
    setMode({ kind: 'list' })
    clients.reload()
  }

  const setActive = async (client: ClientView, active: boolean) => {
    setError(null)
    try {
      await api('POST', `/oauth2/clients/${client.id}/${active ? 'activate' : 'deactivate'}`)
      clients.reload()
    } catch (failure) {
      setError(messageOf(failure))
    }
  }

  if (mode.kind === 'create') {
    return (
      <CreateClient
        options={options}
        onCreated={(client) => setMode({ kind: 'created', client })}
        onCancel={done}
      />
    )
  }
  if (mode.kind === 'created') return <CreatedCredentials client={mode.client} onDone={done} />

  return (
    <section aria-labelledby="clients-title">
      <div class="page-head">
        <h1 id="clients-title">OAuth2/OpenID Connect Clients</h1>
        <button type="button" class="primary" onClick={() => setMode({ kind: 'create' })}>
          Create
        </button>
      </div>
      <ErrorMessage message={error ?? clients.error ?? scopes.error} />
      <Table
        caption="OAuth clients"
        columns={CLIENT_COLUMNS}
        rows={clients.data?.clients}
        row={(client) => (
          <ClientRow
            key={client.id}
            client={client}
            onToggle={() => setActive(client, !client.active)}
            onOpen={(kind) => setMode({ kind, client })}
          />
        )}
        empty={<p>No OAuth clients yet. Create one for each integration that moves off its API key.</p>}
      />
      {mode.kind === 'scopes' && <EditScopes client={mode.client} options={options} onDone={done} />}
      {mode.kind === 'rotate' && <RotateSecret client={mode.client} onDone={done} />}
    </section>
  )
}

const CLIENT_COLUMNS = ['Name', 'Identifier', 'Login', 'Scopes', 'Status', 'Created', 'Actions']

/** The dialogs a client's row opens, and the label of the button that opens each. */
const ROW_DIALOGS = [
  { kind: 'scopes', action: 'Edit scopes' },
  { kind: 'rotate', action: 'Rotate secret' },
] as const

type RowDialog = (typeof ROW_DIALOGS)[number]['kind']

interface ClientRowProps {
  client: ClientView
  onToggle: () => void
  onOpen: (dialog: RowDialog) => void
}

function ClientRow({ client, onToggle, onOpen }: ClientRowProps) {
  const toggle = client.active ? 'Deactivate' : 'Activate'
  return (
    <tr>
      <th scope="row">{client.name}</th>
      <td class="mono">{client.client_id}</td>
      <td>{client.login}</td>
      <td>
        <span class="mono small">{client.scope}</span>
      </td>
      <td>{client.active ? 'Active' : 'Inactive'}</td>
      <td>{day(client.created_at)}</td>
      <td class="actions">
        <RowButton action={toggle} label={`${toggle} ${client.name}`} onClick={onToggle} />
        {ROW_DIALOGS.map(({ kind, action }) => (
          <RowButton
            key={kind}
            action={action}
            label={`${action} of ${client.name}`}
            onClick={() => onOpen(kind)}
          />
        ))}
      </td>
    </tr>
  )
}

/** The scope picker's options, grouped by family (scope-groups.ts): the table has some 200 scopes. */
function scopeOptions(scopes: readonly ScopeView[]): PickerOption[] {
  return scopesByGroup(scopes).flatMap(([group, list]) =>
    list.map((scope) => ({ value: scope.name, description: scope.description, group })),
  )
}

/** A client needs a scope: false, with the error at the picker, when none is chosen. */
function scopesChosen(selected: ReadonlySet<string>, setFields: (fields: Record<string, string[]>) => void) {
  if (selected.size > 0) return true
  setFields({ scopes: ['choose at least one scope'] })
  return false
}

function CreateClient({
  options,
  onCreated,
  onCancel,
}: {
  options: PickerOption[]
  onCreated: (client: CreatedClientView) => void
  onCancel: () => void
}) {
  const form = useForm('client', {
    name: '',
    login: '',
    contact_first_name: '',
    contact_last_name: '',
    contact_email: '',
  })
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const { values, text, picker, fields, setFields } = form
  const submit = form.onSubmit(async () => {
    if (!scopesChosen(selected, setFields)) return
    onCreated(
      await api<CreatedClientView>('POST', '/oauth2/clients', {
        name: values.name,
        grant_type: 'client_credentials',
        login: values.login,
        scopes: [...selected],
        contact_first_name: optional(values.contact_first_name),
        contact_last_name: optional(values.contact_last_name),
        contact_email: optional(values.contact_email),
      }),
    )
  })

  return (
    <section aria-labelledby="create-client-title">
      <h1 id="create-client-title">Create OAuth2/OpenID Connect Client</h1>
      <form onSubmit={submit} noValidate>
        <ErrorMessage message={form.error} />
        {text('name', 'Name', { required: true })}
        <Field
          id="client-grant-type"
          label="Grant type"
          hint="Coupa's core API takes client credentials only."
        >
          {(aria) => (
            <select {...aria} value="client_credentials">
              <option value="client_credentials">Client Credentials</option>
            </select>
          )}
        </Field>
        {text('login', 'Login', { required: true })}
        {text('contact_first_name', 'Contact first name')}
        {text('contact_last_name', 'Contact last name')}
        {text('contact_email', 'Contact email', { type: 'email' })}
        {picker('scopes', {
          options,
          selected,
          onChange: (next) => {
            setSelected(next)
            if (fields.scopes) setFields({ ...fields, scopes: [] })
          },
        })}
        <FormButtons label="Save" busyLabel="Saving…" busy={form.busy} onCancel={onCancel} />
      </form>
    </section>
  )
}

/**
 * The one time the secret is shown: Identifier, Secret, Oidc Scopes, the curl to get a token and the
 * Postman collection (without the secret).
 */
function CreatedCredentials({ client, onDone }: { client: CreatedClientView; onDone: () => void }) {
  const tokenUrl = `${location.origin}/oauth2/token`
  const curl = `curl -X POST -H "Content-Type: application/x-www-form-urlencoded" -d "client_id=${client.client_id}&grant_type=client_credentials&scope=${client.scope}&client_secret=${client.client_secret}" ${tokenUrl}`
  return (
    <section aria-labelledby="created-title">
      <h1 id="created-title">{client.name}</h1>
      <p class="warning" role="alert">
        Copy the secret now and keep it in your integration's secret store: it cannot be shown again. If it is
        lost, rotate the secret.
      </p>
      <CopyValue id="created-identifier" label="Identifier" value={client.client_id} />
      <SecretValue id="created-secret" label="Secret" value={client.client_secret} />
      <CopyValue id="created-scopes" label="Oidc Scopes" value={client.scope} />
      <div class="field">
        <h2 class="label">Get a token (the command of Coupa's transition guide)</h2>
        <pre class="mono command">{curl.replace(client.client_secret, '<SECRET>')}</pre>
        <CopyButton value={curl} label="curl command with the secret" />
      </div>
      <PostmanLinks clientId={client.client_id} scopes={client.scopes} login={client.login} />
      <button type="button" class="primary" onClick={onDone}>
        Done: I have copied the secret
      </button>
    </section>
  )
}

function EditScopes({
  client,
  options,
  onDone,
}: {
  client: ClientView
  options: PickerOption[]
  onDone: () => void
}) {
  const form = useForm('edit', {})
  const [selected, setSelected] = useState<Set<string>>(new Set(client.scopes))
  const save = form.onSubmit(async () => {
    if (!scopesChosen(selected, form.setFields)) return
    await api('PATCH', `/oauth2/clients/${client.id}`, { scopes: [...selected] })
    onDone()
  })
  return (
    <Dialog title={`Edit scopes of ${client.name}`} onClose={onDone}>
      <form onSubmit={save} noValidate>
        <p class="warning">
          Token requests that pass the old scopes will change: a request that asks for a scope removed here is
          refused with <code>invalid_scope</code>, and tokens already issued lose the removed scopes at once.
          Update the Oidc Scopes string in the integration too.
        </p>
        <ErrorMessage message={form.error} />
        {form.picker('scopes', { options, selected, onChange: setSelected })}
        <FormButtons label="Save scopes" onCancel={onDone} />
      </form>
    </Dialog>
  )
}

function RotateSecret({ client, onDone }: { client: ClientView; onDone: () => void }) {
  const [hours, setHours] = useState('24')
  const [fields, setFields] = useState<Record<string, string[]>>({})
  const [error, setError] = useState<string | null>(null)
  const [rotated, setRotated] = useState<RotatedSecret>()
  const rotate = async (event: Event) => {
    event.preventDefault()
    const grace = Number(hours)
    if (!Number.isFinite(grace) || grace < 0) {
      setFields({ grace: ['a number of hours, 0 or more'] })
      return
    }
    try {
      setRotated(
        await api<RotatedSecret>('POST', `/oauth2/clients/${client.id}/secret`, {
          grace_period_seconds: Math.round(grace * 3600),
        }),
      )
    } catch (failure) {
      const apiFields = failure instanceof ApiError ? failure.fields : {}
      setFields(apiFields.grace_period_seconds ? { grace: apiFields.grace_period_seconds } : {})
      setError(messageOf(failure))
    }
  }
  return (
    <Dialog title={`Rotate secret of ${client.name}`} onClose={onDone}>
      {rotated ? (
        <>
          <p class="warning" role="alert">
            Copy the new secret now: it cannot be shown again.{' '}
            {rotated.previous_secret_expires_at
              ? `The previous secret keeps working until ${when(rotated.previous_secret_expires_at)}.`
              : 'The previous secret has stopped working.'}
          </p>
          <SecretValue id="rotated-secret" label="New secret" value={rotated.client_secret} />
          <button type="button" class="primary" onClick={onDone}>
            Done: I have copied the secret
          </button>
        </>
      ) : (
        <form onSubmit={rotate} noValidate>
          <ErrorMessage message={error} />
          <Field
            id="grace"
            label="Grace period (hours)"
            hint="How long the previous secret keeps working, so integrations can switch without downtime."
            errors={fields.grace}
          >
            {(aria) => (
              <input
                {...aria}
                type="number"
                min="0"
                step="1"
                value={hours}
                onInput={(e) => setHours(e.currentTarget.value)}
              />
            )}
          </Field>
          <FormButtons label="Rotate secret" onCancel={onDone} />
        </form>
      )}
    </Dialog>
  )
}
