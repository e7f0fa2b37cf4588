import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { ErrorMessage } from '../components/field.tsx'
import { useLoad } from '../components/load.ts'
import { RevokeDialog } from '../components/revoke-dialog.tsx'
import { RowButton, Table } from '../components/table.tsx'
import { count, duration, STATE_LABELS, when } from '../format.ts'
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

/** Setup > Transition: this instance's keys by state, API-key versus OAuth calls, plan and revoke per key. */
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
      {data.data && status && (
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
  return (
    <span>
      Phase {entry.phase} ({entry.phase === 1 ? 'master data' : 'transactional'}): client{' '}
      <strong>{entry.client?.name}</strong>
      <br />
      <span class="mono small">{entry.scopes.join(' ')}</span>
    </span>
  )
}

/** API-key calls versus OAuth calls per day: an SVG bar chart, and the same numbers as a table. */
function UsageChart({ days }: { days: UsageDay[] }) {
  const max = Math.max(1, ...days.flatMap((d) => [d.api_key_calls, d.oauth_calls]))
  const width = 720
  const height = 180
  const slot = width / Math.max(1, days.length)
  const bar = Math.max(1, slot / 2 - 1)
  const y = (n: number) => height - (n / max) * (height - 10)
  const keyTotal = days.reduce((sum, d) => sum + d.api_key_calls, 0)
  const oauthTotal = days.reduce((sum, d) => sum + d.oauth_calls, 0)
  return (
    <figure class="chart">
      <figcaption>
        <h2>Calls per day, last {days.length} days</h2>
        <span class="legend legend-key">API key: {count(keyTotal)}</span>{' '}
        <span class="legend legend-oauth">OAuth: {count(oauthTotal)}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height + 20}`}
        role="img"
        aria-label={`API-key calls (${count(keyTotal)}) versus OAuth calls (${count(oauthTotal)}) per day`}
      >
        <line x1="0" y1={height} x2={width} y2={height} class="axis" />
        {days.map((d, i) => (
          <g key={d.day}>
            <title>{`${d.day}: ${d.api_key_calls} API-key calls, ${d.oauth_calls} OAuth calls`}</title>
            <rect
              class="bar-key"
              x={i * slot}
              y={y(d.api_key_calls)}
              width={bar}
              height={height - y(d.api_key_calls)}
            />
            <rect
              class="bar-oauth"
              x={i * slot + bar + 1}
              y={y(d.oauth_calls)}
              width={bar}
              height={height - y(d.oauth_calls)}
            />
          </g>
        ))}
        <text x="0" y={height + 16} class="tick">
          {days[0]?.day}
        </text>
        <text x={width} y={height + 16} class="tick" text-anchor="end">
          {days.at(-1)?.day}
        </text>
      </svg>
      <details>
        <summary>The numbers</summary>
        <Table
          columns={[
            'Day',
            { label: 'API-key calls', numeric: true },
            { label: 'OAuth calls', numeric: true },
          ]}
          rows={days}
          row={(d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              <td class="num">{count(d.api_key_calls)}</td>
              <td class="num">{count(d.oauth_calls)}</td>
            </tr>
          )}
        />
      </details>
    </figure>
  )
}
