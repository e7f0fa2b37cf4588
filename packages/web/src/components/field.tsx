import type { ComponentChildren } from 'preact'

interface FieldProps {
  id: string
  label: string
  /** Messages of the admin API for this field; shown under it and announced. */
  errors?: string[] | undefined
  hint?: string
  children: (aria: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => ComponentChildren
}

/** A labelled control with its hint and its errors, tied together for screen readers. */
export function Field({ id, label, errors, hint, children }: FieldProps) {
  const described = [hint && `${id}-hint`, errors?.length && `${id}-error`].filter(Boolean).join(' ')
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {children({
        id,
        ...(errors?.length ? { 'aria-invalid': 'true' as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {errors?.length ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {errors.join('; ')}
        </p>
      ) : null}
    </div>
  )
}

/** An error of a whole form or page, announced when it appears. */
export function ErrorMessage({ message }: { message: string | null | undefined }) {
  if (!message) return null
  return (
    <p class="error" role="alert">
      {message}
    </p>
  )
}
