import { Field } from './field.tsx'

export interface TextFieldProps {
  id: string
  label: string
  value: string
  onInput: (value: string) => void
  errors?: string[] | undefined
  type?: 'text' | 'email' | 'date' | 'password'
  required?: boolean
  hint?: string
  /** What the browser may fill in: `username`, `current-password`. */
  autocomplete?: string
}

/** A labelled text, email, date or password input with its hint and errors. */
export function TextField({
  id,
  label,
  value,
  onInput,
  errors,
  type = 'text',
  required = false,
  hint,
  autocomplete,
}: TextFieldProps) {
  return (
    <Field id={id} label={label} errors={errors} {...(hint && { hint })}>
      {(aria) => (
        <input
          {...aria}
          // preact types each input type apart; this one field takes four.
          type={type as 'text'}
          required={required}
          autocomplete={autocomplete}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </Field>
  )
}
