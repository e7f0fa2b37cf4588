import { useMemo, useState } from 'preact/hooks'
import { api } from '../api.ts'
import { CopyValue } from '../components/copy.tsx'
import { ErrorMessage } from '../components/field.tsx'
import { FormButtons, optional, useForm } from '../components/form.tsx'
import { useLoad } from '../components/load.ts'
import type { PickerOption } from '../components/picker.tsx'
import { ReplacementDialog } from '../components/replacement-dialog.tsx'
import { RevokeDialog } from '../components/revoke-dialog.tsx'
import { type Column, RowButton, Table } from '../components/table.tsx'
import { count, day, STATE_LABELS, when } from '../format.ts'
import type {
  ApiKeyList,
  ApiKeyView,
  ClientList,
  ClientView,
  CreatedApiKeyView,
  Review,
  ReviewEntry,
  ScopeList,
  ScopeView,
  Status,
  StatusEntry,
} from '../types.ts'

interface KeyRow {
  key: ApiKeyView
  review: ReviewEntry | undefined
  status: StatusEntry | undefined
  /** The OAuth client that replaces the key, when it is one of this instance's. */
  replacement: ClientView | undefined
}

interface KeysData {
  rows: KeyRow[]
  clients: ClientView[]
}

async function loadKeys(): Promise<KeysData> {
  const [keys, review, status, clients] = await Promise.all([
    api<ApiKeyList>('GET', '/api-keys'),
    api<Review>('GET', '/transition/review'),
    api<Status>('GET', '/transition/status'),
    api<ClientList>('GET', '/oauth2/clients'),
  ])
  const rows = keys.api_keys.map((key) => ({
    key,
    review: review.api_keys.find((entry) => entry.id === key.id),
    status: status.keys.find((entry) => entry.api_key_id === key.id),
    replacement: clients.clients.find((client) => client.client_id === key.replacement_client_id),
  }))
  return { rows, clients: clients.clients }
}

/**
 * Setup > API Keys: the legacy keys with their use, create (shown once), the replacement OAuth
 * client of each, revoke after seeing the use.
 */
export function ApiKeysPage() {
  const rows = useLoad(loadKeys)
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<CreatedApiKeyView | null>(null)
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null)
  const [replacing, setReplacing] = useState<ApiKeyView | null>(null)
  const done = () => {
    setCreating(false)
    setCreated(null)
    setRevoking(null)
    setReplacing(null)
    rows.reload()
  }

  if (created) {
    return (
      <section aria-labelledby="key-created-title">
        <h1 id="key-created-title">API key {created.name}</h1>
        <p class="warning" role="alert">
          Copy the key now: it cannot be shown again. Integrations send it in the <code>X-COUPA-API-KEY</code>{' '}
          header.
        </p>
        <CopyValue id="created-key" label="API key" value={created.key} />
        <button type="button" class="primary" onClick={done}>
          Done: I have copied the key
        </button>
      </section>
    )
  }
  if (creating) return <CreateKey onCreated={setCreated} onCancel={done} />

  return (
    <section aria-labelledby="keys-title">
      <div class="page-head">
        <h1 id="keys-title">API Keys</h1>
        <button type="button" class="primary" onClick={() => setCreating(true)}>
          Create
        </button>
      </div>
      <ErrorMessage message={rows.error} />
      <Table
        caption="API keys"
        columns={KEY_COLUMNS}
        rows={rows.data?.rows}
        row={(row) => (
          <ApiKeyRow
            key={row.key.id}
            row={row}
            onReplace={() => setReplacing(row.key)}
            onRevoke={() => setRevoking(row.key)}
          />
        )}
        empty={<p>No API keys.</p>}
      />
      {revoking && <RevokeDialog id={revoking.id} name={revoking.name} onDone={done} />}
      {replacing && <ReplacementDialog apiKey={replacing} clients={rows.data?.clients ?? []} onDone={done} />}
    </section>
  )
}

const KEY_COLUMNS: Column[] = [
  'Name',
  'Contact',
  'Created',
  'Expiry',
  'Last used',
  { label: 'Calls, 7 days', numeric: true },
  'Transition',
  'Replacement client',
  'Actions',
]

interface ApiKeyRowProps {
  row: KeyRow
  onReplace: () => void
  onRevoke: () => void
}

function ApiKeyRow({ row: { key, review, status, replacement }, onReplace, onRevoke }: ApiKeyRowProps) {
  return (
    <tr>
      <th scope="row">{key.name}</th>
      <td>
        {[key.contact_first_name, key.contact_last_name].filter(Boolean).join(' ') || key.contact_login}
        <br />
        <span class="small">{key.contact_email}</span>
      </td>
      <td>{day(key.created_at)}</td>
      <td>{key.state === 'expired' ? `${key.expires_on} (expired)` : (key.expires_on ?? 'None')}</td>
      <td>{when(review?.last_used_at)}</td>
      <td class="num">{count(review?.calls.last_7d ?? 0)}</td>
      <td>{status ? STATE_LABELS[status.state] : '—'}</td>
      <td>
        {replacement?.name ??
          (key.replacement_client_id ? <span class="mono small">{key.replacement_client_id}</span> : '—')}
      </td>
      <td class="actions">
        {key.state === 'revoked' ? (
          <span class="small">Revoked {day(key.revoked_at)}</span>
        ) : (
          <>
            <RowButton action="Replacement" label={`Replacement client of ${key.name}`} onClick={onReplace} />
            <RowButton action="Revoke" label={`Revoke ${key.name}`} danger onClick={onRevoke} />
          </>
        )}
      </td>
    </tr>
  )
}

/** `resource#action` permissions, grouped by resource, from what the scopes grant. */
function permissionOptions(scopes: readonly ScopeView[]): PickerOption[] {
  const permissions = new Map<string, string>()
  for (const scope of scopes) for (const action of scope.actions) permissions.set(action, scope.name)
  return [...permissions.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([permission, scope]) => ({
      value: permission,
      description: `(${scope})`,
      group: permission.split('#')[0] ?? permission,
    }))
}

function CreateKey({
  onCreated,
  onCancel,
}: {
  onCreated: (key: CreatedApiKeyView) => void
  onCancel: () => void
}) {
  const scopes = useLoad(() => api<ScopeList>('GET', '/scopes'))
  const options = useMemo(() => permissionOptions(scopes.data?.scopes ?? []), [scopes.data])
  const form = useForm('key', {
    name: '',
    description: '',
    contact_first_name: '',
    contact_last_name: '',
    contact_login: '',
    contact_email: '',
    expires_on: '',
  })
  const [permissions, setPermissions] = useState<Set<string>>(new Set())
  const { values, text, picker } = form
  const submit = form.onSubmit(async () => {
    onCreated(
      await api<CreatedApiKeyView>('POST', '/api-keys', {
        name: values.name,
        description: optional(values.description),
        contact_first_name: optional(values.contact_first_name),
        contact_last_name: optional(values.contact_last_name),
        contact_login: values.contact_login,
        contact_email: values.contact_email,
        expires_on: optional(values.expires_on),
        permissions: permissions.size === 0 ? null : [...permissions],
      }),
    )
  })
  return (
    <section aria-labelledby="create-key-title">
      <h1 id="create-key-title">Create API Key</h1>
      <p class="warning">
        API keys are being retired: create an OAuth client instead where the integration can take one.
      </p>
      <form onSubmit={submit} noValidate>
        <ErrorMessage message={form.error} />
        {text('name', 'Name', { required: true })}
        {text('description', 'Description')}
        {text('contact_first_name', 'Contact first name')}
        {text('contact_last_name', 'Contact last name')}
        {text('contact_login', 'Contact login', { required: true })}
        {text('contact_email', 'Contact email', { type: 'email', required: true })}
        {text('expires_on', 'Expiry date', {
          type: 'date',
          hint: 'Optional; the key stops working at midnight UTC.',
        })}
        {picker('permissions', { options, selected: permissions, onChange: setPermissions })}
        <p class="hint">None selected: the key may call every API.</p>
        <FormButtons label="Create key" busyLabel="Creating…" busy={form.busy} onCancel={onCancel} />
      </form>
    </section>
  )
}
