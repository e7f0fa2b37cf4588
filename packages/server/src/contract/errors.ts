import type { KeyRevoke } from './reports.ts'

/**
 * Domain errors thrown by services. They know nothing of HTTP; the error handler renders them
 * as RFC 9457 problem documents for the admin API.
 */

/** Input that breaks a rule; `errors` maps each field to what is wrong with it. */
export class ValidationError extends Error {
  constructor(readonly errors: Record<string, string[]>) {
    super(
      Object.entries(errors)
        .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
        .join('. '),
    )
    this.name = 'ValidationError'
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] })
  }
}

/** A unique value is already taken (`login`). */
export class ConflictError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
    this.name = 'ConflictError'
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NotFoundError'
  }
}

/** A revoke of one key refused: it is not ready_to_revoke and the request did not force it. */
export class KeyNotReadyError extends Error {
  constructor(
    message: string,
    /** The key's state, why, and the calls a revoke would fail. */
    readonly refusal: KeyRevoke,
  ) {
    super(message)
    this.name = 'KeyNotReadyError'
  }
}
