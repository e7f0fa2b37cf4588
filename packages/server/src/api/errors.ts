/**
 * The core API's errors. The API plugin renders them, and the errors of the layers it calls, in
 * Coupa's error format (api/error-handler.ts).
 */

/** A request the routes cannot serve as asked (an unknown action, a method Coupa has not). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(messages.join('; '))
    this.name = 'ApiError'
  }
}

/**
 * A record that breaks a rule of its resource: a required field missing, a reference to nothing, an
 * action from the wrong status. Coupa answers these 400, under the resource's singular name.
 */
export class RecordError extends Error {
  constructor(
    /** `invoice-header`: the key of Coupa's error body. */
    readonly singular: string,
    readonly messages: string[],
  ) {
    super(messages.join('; '))
    this.name = 'RecordError'
  }
}
