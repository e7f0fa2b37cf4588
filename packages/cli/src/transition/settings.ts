/**
 * The transition settings as the CLI reads and shows them: durations (`7d`), times (a date alone is
 * 00:00 UTC), brownout windows (`START/END[/KEY]`), and the text of `settings show`.
 */
import type { TransitionSettingsView } from '@keyshift/server/admin-api'
import { fields } from '../output.ts'
import { shortIds } from './key-refs.ts'

const UNITS: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 }

/** `7d`, `36h`, `1d12h`, `90m`, `3600s` or `3600` (seconds) → seconds; undefined if not so written. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text)
  if (!/^(\d+[wdhms])+$/.test(text)) return undefined
  let seconds = 0
  for (const [, amount, unit] of text.matchAll(/(\d+)([wdhms])/g))
    seconds += Number(amount) * (UNITS[unit ?? 's'] ?? 1)
  return seconds
}

/** `2026-12-01` → `2026-12-01T00:00:00Z`; anything else as given, for the server to check. */
export function isoTime(text: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text
}

function quietPeriod(seconds: number): string {
  for (const [unit, size] of Object.entries(UNITS)) {
    if (seconds % size === 0 && seconds >= size) {
      const count = seconds / size
      const word = { w: 'week', d: 'day', h: 'hour', m: 'minute', s: 'second' }[unit] ?? unit
      return `${count} ${word}${count === 1 ? '' : 's'} (${seconds} s)`
    }
  }
  return `${seconds} s`
}

export function formatSettings(settings: TransitionSettingsView): string {
  const ids = shortIds(settings.brownouts.flatMap((b) => (b.api_key_id === null ? [] : [b.api_key_id])))
  const brownouts = settings.brownouts.map(
    (b) =>
      `${b.starts_at} → ${b.ends_at}  ${b.api_key_id === null ? 'every key' : `key ${ids.get(b.api_key_id) ?? b.api_key_id}`}`,
  )
  const rows: [string, string | undefined][] = [
    ['Quiet period', quietPeriod(settings.quiet_period_seconds)],
    ['Deprecation', settings.deprecation_at ?? 'not set'],
    ['Sunset', settings.sunset_at ?? 'not set'],
    ['Documentation URL', settings.documentation_url ?? 'not set'],
    ['Brownouts', brownouts[0] ?? 'none'],
    ...brownouts.slice(1).map((line): [string, string] => ['', line]),
  ]
  return `${fields(rows)}\n`
}

/** A brownout as given on the command line; `key` still to be resolved to an id. */
export interface Brownout {
  starts_at: string
  ends_at: string
  key: string | undefined
}

/** `START/END` or `START/END/KEY`; undefined when not so written (ISO times hold no `/`). */
export function brownoutSpec(text: string): Brownout | undefined {
  const parts = text.split('/')
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === '')) return undefined
  const [start = '', end = '', key] = parts
  return { starts_at: isoTime(start), ends_at: isoTime(end), key }
}
