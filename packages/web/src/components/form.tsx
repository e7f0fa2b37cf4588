import { useState } from 'preact/hooks'
import { ApiError, messageOf } from '../api.ts'
import { Picker, type PickerProps } from './picker.tsx'
import { TextField, type TextFieldProps } from './text-field.tsx'

type TextOptions = Pick<TextFieldProps, 'type' | 'required' | 'hint' | 'autocomplete'>
type PickerOptions = Pick<PickerProps, 'options' | 'selected' | 'onChange'>

/**
 * The state of a form that sends to the admin API: its text values, the API's errors per field
 * (shown next to each field) and for the whole form, and whether it is being sent.
 */
export function useForm<Values extends Record<string, string>>(idPrefix: string, initial: Values) {
  const [values, setValues] = useState(initial)
  const [fields, setFields] = useState<Record<string, string[]>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const text = (name: keyof Values & string, label: string, options: TextOptions = {}) => (
    <TextField
      id={`${idPrefix}-${name}`}
      label={label}
      {...options}
      value={values[name] ?? ''}
      onInput={(value) => setValues({ ...values, [name]: value })}
      errors={fields[name]}
    />
  )

  /** A Picker of the API's field `name`, which names what is picked too ("scopes"). */
  const picker = (name: string, options: PickerOptions) => (
    <Picker id={`${idPrefix}-${name}`} noun={name} {...options} errors={fields[name]} />
  )

  /** A submit handler: runs `send`, and on failure shows the API's words at the form and its fields. */
  const onSubmit = (send: () => Promise<void>) => async (event: Event) => {
    event.preventDefault()
    setError(null)
    setFields({})
    setBusy(true)
    try {
      await send()
    } catch (failure) {
      setFields(failure instanceof ApiError ? failure.fields : {})
      setError(messageOf(failure))
    } finally {
      setBusy(false)
    }
  }

  /** Sets one value, for a control that `text()` does not make (a number, a select). */
  const set = (name: keyof Values & string, value: string) => setValues({ ...values, [name]: value })
  return { values, set, text, picker, fields, setFields, error, busy, onSubmit }
}

/** An empty optional field is sent as null. */
export function optional(value: string): string | null {
  return value.trim() === '' ? null : value
}

/** The submit and Cancel buttons at the foot of a form. */
export function FormButtons({
  label,
  busyLabel,
  busy = false,
  onCancel,
}: {
  label: string
  busyLabel?: string
  busy?: boolean
  onCancel: () => void
}) {
  return (
    <div class="buttons">
      <button type="submit" class="primary" disabled={busy}>
        {busy && busyLabel ? busyLabel : label}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  )
}
