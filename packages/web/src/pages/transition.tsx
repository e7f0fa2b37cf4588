import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { ErrorMessage } from '../components/field.tsx'
import { useLoad } from '../components/load.ts'
import { RevokeDialog } from '../components/revoke-dialog.tsx'
import { RowButton, Table } from '../components/table.tsx'
import { TransitionSettings } from '../components/transition-settings.tsx'
import { UsageChart } from '../components/usage-chart.tsx'
import { duration, STATE_LABELS, when } from '../format.ts'
import { followLink } from '../router.ts'
import type {
  Plan,
  PlanEntry,
  Status,
  StatusEntry,
  TransitionState,
  UsageDay,
  UsagePerDay,
} from '../types.ts'

interface TransitionData {
  status: Status
  plan: PlanEntry[]
  days: UsageDay[]
}

async function loadTransition(): Promise<TransitionData> {
  const [status, plan, usage] = await Promise.all([
    api<Status>('GET', '/transition/status'),
    api<Plan>('GET', '/transition/plan'),
    api<UsagePerDay>('GET', '/transition/usage'),
  ])
  return { status, plan: plan.keys, days: usage.days }
}

const STATES: TransitionState[] = ['in_use', 'migrating', 'ready_to_revoke', 'revoked']

/**
 * Setup > Transition: this instance's keys by state, API-key versus OAuth calls, plan and revoke per
 * key, and the transition's settings; on an instance without API keys, that there is nothing to move.
 */
export function TransitionPage() {
  const data = useLoad(loadTransition)
  const [revoking, setRevoking] = useState<StatusEntry | null>(null)
  const status = data.data?.status
  return (
    <section aria-labelledby="transition-title">
      <h1 id="transition-title">Transition to OAuth 2.0</h1>
      <p>
        Instance <span class="mono">{location.host}</span>. A key is ready to revoke once its replacement
        client has called and the key has not, for the quiet period
        {status ? ` (${duration(status.quiet_period_seconds)})` : ''}.
      </p>
      <ErrorMessage message={data.error} />
      {status?.keys.length === 0 && <NothingToMove />}
      {data.data && status && status.keys.length > 0 && (
        <>
          <ul class="states" aria-label="API keys by transition state">
            {STATES.map((state) => (
              <li key={state} class={`state state-${state}`}>
                <span class="state-count">{status.keys.filter((key) => key.state === state).length}</span>{' '}
                {STATE_LABELS[state]}
              </li>
            ))}
          </ul>
          <UsageChart days={data.data.days} />
          <h2>Keys</h2>
          <Table
            caption="Transition state and plan of each API key"
            columns={KEY_COLUMNS}
            rows={status.keys}
            row={(key) => (
              <KeyRow
                key={key.api_key_id}
                entry={key}
                plan={data.data?.plan.find((p) => p.api_key_id === key.api_key_id)}
                onRevoke={() => setRevoking(key)}
              />
            )}
          />
        </>
      )}
      <TransitionSettings keys={status?.keys ?? []} onSaved={data.reload} />
      {revoking && (
        <RevokeDialog
          id={revoking.api_key_id}
          name={revoking.api_key_name}
          onDone={() => {
            setRevoking(null)
            data.reload()
          }}
        />
      )}
    </section>
  )
}

const KEY_COLUMNS = [
  'API key',
  'State',
  'Replacement client',
  'Last key call',
  'First OAuth call',
  'Plan',
  'Actions',
]

interface KeyRowProps {
  entry: StatusEntry
  plan: PlanEntry | undefined
  onRevoke: () => void
}

function KeyRow({ entry, plan, onRevoke }: KeyRowProps) {
  return (
    <tr>
      <th scope="row">{entry.api_key_name}</th>
      <td>
        <span>{STATE_LABELS[entry.state]}</span>
        <br />
        <span class="small">{entry.reason}</span>
      </td>
      <td>{entry.replacement_client_name ?? '—'}</td>
      <td>{when(entry.last_key_call_at)}</td>
      <td>{when(entry.first_oauth_call_at)}</td>
      <td>
        <PlanCell entry={plan} />
      </td>
      <td class="actions">
        {entry.state !== 'revoked' && (
          <RowButton
            action="Revoke"
            label={`Revoke ${entry.api_key_name}`}
            danger={entry.state === 'ready_to_revoke'}
            onClick={onRevoke}
          />
        )}
      </td>
    </tr>
  )
}

function PlanCell({ entry }: { entry: PlanEntry | undefined }) {
  if (!entry) return <span class="hint">—</span>
  if (entry.action === 'revoke') return <span>Revoke without replacement</span>
  if (entry.action === 'skip') return <span class="small">{entry.reason}</span>
  if (entry.action === 'link') {
    return (
      <span>
        Phase {entry.phase} ({entry.phase === 1 ? 'master data' : 'transactional'}): link to the existing
        client <strong>{entry.client?.name}</strong>
        <br />
        <span class="small">{entry.reason}</span>
      </span>
    )
  }
  return (
    <span>
      Phase {entry.phase} ({entry.phase === 1 ? 'master data' : 'transactional'}): client{' '}
      <strong>{entry.client?.name}</strong>
      <br />
      <span class="mono small">{entry.scopes.join(' ')}</span>
    </span>
  )
}

/** The empty state: no API keys, so nothing to move; where keys come from if one is needed. */
function NothingToMove() {
  return (
    <div class="empty">
      <h2>Nothing to move</h2>
      <p>
        This instance has no API keys: its integrations already use{' '}
        <a href="/oauth2/clients" onClick={followLink}>
          OAuth clients
        </a>
        . An integration that can only send a key gets one on the{' '}
        <a href="/api_keys" onClick={followLink}>
          API Keys
        </a>{' '}
        page or with <code>keyshift admin api-keys create</code>; it then appears here, with its state and
        plan.
      </p>
    </div>
  )
}
