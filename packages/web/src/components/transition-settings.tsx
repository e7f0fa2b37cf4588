import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import type { StatusEntry, TransitionSettingsView } from '../types.ts'
import { type BrownoutDraft, BrownoutList, brownoutBody, brownoutDraft } from './brownouts.tsx'
import { ErrorMessage, Field } from './field.tsx'
import { optional, useForm } from './form.tsx'
import { useLoad } from './load.ts'

/** The units the quiet period is typed in, largest first. */
const UNITS = [
  { seconds: 86_400, label: 'days' },
  { seconds: 3600, label: 'hours' },
  { seconds: 60, label: 'minutes' },
  { seconds: 1, label: 'seconds' },
] as const

/** 604800 → 7 days, 5400 → 90 minutes: the largest unit that counts it whole. */
function inUnits(seconds: number): { amount: string; unit: string } {
  const unit = UNITS.find((u) => seconds % u.seconds === 0) ?? UNITS[3]
  return { amount: String(seconds / unit.seconds), unit: String(unit.seconds) }
}

/** What was typed, in seconds; a blank or a word goes as null, and the server says what it takes. */
function quietPeriodSeconds(amount: string, unit: string): number | null {
  const seconds = Number(amount) * Number(unit)
  return amount.trim() === '' || !Number.isFinite(seconds) ? null : Math.round(seconds * 1000) / 1000
}

const TIME_HINT = 'UTC, as an ISO 8601 time such as 2026-12-01T00:00:00Z; empty: none.'

interface TransitionSettingsProps {
  /** The instance's keys, for brownouts of one key. */
  keys: readonly StatusEntry[]
  /** After a change is saved: the page shows the new quiet period. */
  onSaved: () => void
}

/**
 * Setup > Transition > Settings: the quiet period, the Deprecation and Sunset dates, the
 * documentation URL and the brownouts (GET and PUT /admin/v1/transition/settings, docs/TRANSITION.md),
 * with the admin API's 400 messages next to their fields.
 */
export function TransitionSettings({ keys, onSaved }: TransitionSettingsProps) {
  const settings = useLoad(() => api<TransitionSettingsView>('GET', '/transition/settings'))
  return (
    <section aria-labelledby="settings-title" class="settings">
      <h2 id="settings-title">Settings</h2>
      <ErrorMessage message={settings.error} />
      {settings.data && <SettingsForm initial={settings.data} keys={keys} onSaved={onSaved} />}
    </section>
  )
}

interface SettingsFormProps extends TransitionSettingsProps {
  initial: TransitionSettingsView
}

function SettingsForm({ initial, keys, onSaved }: SettingsFormProps) {
  const quiet = inUnits(initial.quiet_period_seconds)
  const form = useForm('settings', {
    quiet_amount: quiet.amount,
    quiet_unit: quiet.unit,
    deprecation_at: initial.deprecation_at ?? '',
    sunset_at: initial.sunset_at ?? '',
    documentation_url: initial.documentation_url ?? '',
  })
  const [brownouts, setBrownouts] = useState<BrownoutDraft[]>(() => initial.brownouts.map(brownoutDraft))
  const [saved, setSaved] = useState('')
  const { values, set, text, fields } = form
  // "Saved" holds only until the next change.
  const edited = () => setSaved('')
  const submit = form.onSubmit(async () => {
    setSaved('')
    await api<TransitionSettingsView>('PUT', '/transition/settings', {
      quiet_period_seconds: quietPeriodSeconds(values.quiet_amount, values.quiet_unit),
      deprecation_at: optional(values.deprecation_at.trim()),
      sunset_at: optional(values.sunset_at.trim()),
      // Sent only when changed: a URL an older version stored is kept as it is, a new one is checked.
      ...(values.documentation_url !== (initial.documentation_url ?? '') && {
        documentation_url: optional(values.documentation_url.trim()),
      }),
      brownouts: brownouts.map(brownoutBody),
    })
    setSaved('Settings saved.')
    onSaved()
  })
  return (
    <form onSubmit={submit} onInput={edited} onChange={edited} noValidate>
      <ErrorMessage message={form.error} />
      <Field
        id="settings-quiet_period_seconds"
        label="Quiet period"
        hint="How long a key must go without calls after its client's first call before it is ready to revoke: 1 second to 365 days."
        errors={fields.quiet_period_seconds}
      >
        {(aria) => (
          <div class="inline">
            <input
              {...aria}
              type="number"
              min="1"
              step="any"
              class="amount"
              value={values.quiet_amount}
              onInput={(e) => set('quiet_amount', e.currentTarget.value)}
            />
            <select
              aria-label="Unit of the quiet period"
              value={values.quiet_unit}
              onChange={(e) => set('quiet_unit', e.currentTarget.value)}
            >
              {UNITS.map((unit) => (
                <option key={unit.seconds} value={String(unit.seconds)}>
                  {unit.label}
                </option>
              ))}
            </select>
          </div>
        )}
      </Field>
      {text('deprecation_at', 'Deprecation date', {
        hint: `API-key answers carry a Deprecation header (RFC 9745) from then on. ${TIME_HINT}`,
      })}
      {text('sunset_at', 'Sunset date', {
        hint: `API-key answers carry a Sunset header (RFC 8594); not before the deprecation date. ${TIME_HINT}`,
      })}
      {text('documentation_url', 'Documentation URL', {
        hint: 'Sent in the Link header of API-key answers: an https URL; empty: none.',
      })}
      <BrownoutList
        brownouts={brownouts}
        onChange={(next) => {
          setBrownouts(next)
          edited()
        }}
        keys={keys}
        fields={fields}
      />
      <div class="buttons">
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
      <p class="saved" role="status">
        {saved}
      </p>
    </form>
  )
}
