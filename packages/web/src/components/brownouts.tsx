import { useLayoutEffect, useState } from 'preact/hooks'
import type { BrownoutView, StatusEntry } from '../types.ts'
import { Field } from './field.tsx'
import { TextField } from './text-field.tsx'

/** A brownout as typed: `key` tells the rows apart while they are edited; `api_key_id` '' is every key's. */
export interface BrownoutDraft {
  key: number
  starts_at: string
  ends_at: string
  api_key_id: string
}

export function brownoutDraft(view: BrownoutView, index: number): BrownoutDraft {
  return {
    key: index + 1,
    starts_at: view.starts_at,
    ends_at: view.ends_at,
    api_key_id: view.api_key_id ?? '',
  }
}

/** One entry of `brownouts` in PUT /admin/v1/transition/settings. */
export function brownoutBody(draft: BrownoutDraft) {
  return {
    starts_at: draft.starts_at.trim(),
    ends_at: draft.ends_at.trim(),
    api_key_id: draft.api_key_id === '' ? null : draft.api_key_id,
  }
}

interface BrownoutListProps {
  brownouts: readonly BrownoutDraft[]
  onChange: (brownouts: BrownoutDraft[]) => void
  keys: readonly StatusEntry[]
  /** The admin API's errors: `brownouts.<index>.<field>`, in the order the list was sent. */
  fields: Record<string, string[]>
}

/** The brownout windows: each with its start, end and key, added and removed by button. */
export function BrownoutList({ brownouts, onChange, keys, fields }: BrownoutListProps) {
  // The control to focus once the list has changed: the new start, or Add after a removal. Moved
  // as the change is rendered, so that a key pressed at once lands there.
  const [focus, setFocus] = useState<string | null>(null)
  useLayoutEffect(() => {
    if (focus === null) return
    document.getElementById(focus)?.focus()
    setFocus(null)
  }, [focus])
  const add = () => {
    const key = Math.max(0, ...brownouts.map((b) => b.key)) + 1
    onChange([...brownouts, { key, starts_at: '', ends_at: '', api_key_id: '' }])
    setFocus(`brownout-${key}-starts_at`)
  }
  const update = (key: number, change: Partial<BrownoutDraft>) =>
    onChange(brownouts.map((b) => (b.key === key ? { ...b, ...change } : b)))
  const remove = (key: number) => {
    onChange(brownouts.filter((b) => b.key !== key))
    setFocus('add-brownout')
  }
  return (
    <fieldset class="brownouts" aria-describedby="brownouts-hint">
      <legend>Brownouts</legend>
      <p id="brownouts-hint" class="hint">
        During a brownout, calls with an API key are refused (401 <code>api_key_brownout</code>), so that
        integrations still on a key are found before the sunset. Times in UTC, as ISO 8601 such as
        2026-12-01T09:00:00Z; the end is not part of the window.
      </p>
      {fields.brownouts?.length ? (
        <p class="field-error" role="alert">
          {fields.brownouts.join('; ')}
        </p>
      ) : null}
      {brownouts.length === 0 && <p>No brownouts.</p>}
      {brownouts.map((b, i) => (
        <fieldset key={b.key} class="brownout">
          <legend>Brownout {i + 1}</legend>
          <div class="brownout-fields">
            <TextField
              id={`brownout-${b.key}-starts_at`}
              label="Starts at"
              value={b.starts_at}
              onInput={(starts_at) => update(b.key, { starts_at })}
              errors={fields[`brownouts.${i}.starts_at`]}
            />
            <TextField
              id={`brownout-${b.key}-ends_at`}
              label="Ends at"
              value={b.ends_at}
              onInput={(ends_at) => update(b.key, { ends_at })}
              errors={fields[`brownouts.${i}.ends_at`]}
            />
            <Field
              id={`brownout-${b.key}-api_key_id`}
              label="API key"
              errors={fields[`brownouts.${i}.api_key_id`]}
            >
              {(aria) => (
                <select
                  {...aria}
                  value={b.api_key_id}
                  onChange={(e) => update(b.key, { api_key_id: e.currentTarget.value })}
                >
                  <option value="">Every API key</option>
                  {keys.map((key) => (
                    <option key={key.api_key_id} value={key.api_key_id}>
                      {key.state === 'revoked' ? `${key.api_key_name} (revoked)` : key.api_key_name}
                    </option>
                  ))}
                  {b.api_key_id !== '' && !keys.some((key) => key.api_key_id === b.api_key_id) && (
                    <option value={b.api_key_id}>{b.api_key_id}</option>
                  )}
                </select>
              )}
            </Field>
            <button type="button" onClick={() => remove(b.key)} aria-label={`Remove brownout ${i + 1}`}>
              Remove
            </button>
          </div>
        </fieldset>
      ))}
      <button type="button" id="add-brownout" onClick={add}>
        Add brownout
      </button>
    </fieldset>
  )
}
