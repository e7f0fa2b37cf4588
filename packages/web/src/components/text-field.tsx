import { Field } from './field.tsx'

interface TextFieldProps {
  id: string
  label: string
  value: string
  onInput: (value: string) => void
  errors?: string[] | undefined
  type?: 'text' | 'email' | 'date'
  required?: boolean
  hint?: string
}

/** A labelled text, email or date input with its hint and errors. */
export function TextField({
  id,
  label,
  value,
  onInput,
  errors,
  type = 'text',
  required = false,
  hint,
}: TextFieldProps) {
  return (
    <Field id={id} label={label} errors={errors} {...(hint && { hint })}>
      {(aria) => (
        <input
          {...aria}
          // preact types each input type apart; this one field takes three.
          type={type as 'text'}
          required={required}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </Field>
  )
}
