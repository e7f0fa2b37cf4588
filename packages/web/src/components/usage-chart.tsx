import { count } from '../format.ts'
import type { UsageDay } from '../types.ts'
import { Table } from './table.tsx'

/** API-key calls versus OAuth calls per day: an SVG bar chart, and the same numbers as a table. */
export function UsageChart({ days }: { days: UsageDay[] }) {
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
