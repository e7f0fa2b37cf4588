/**
 * A query string the API refuses. Parsing only throws this; the API's error handler renders it
 * as a 400 with one `errors` entry per message.
 */
export class QueryError extends Error {
  readonly statusCode = 400
  /** One message per offending parameter; each names it and says what is allowed. */
  readonly messages: string[]
  constructor(messages: readonly string[]) {
    super(messages.join('; '))
    this.name = 'QueryError'
    this.messages = [...messages]
  }
}
