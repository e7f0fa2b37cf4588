/** A request body the representation cannot accept; the caller answers 400 with these messages. */
export class BodyError extends Error {
  /** One message per problem, written for the API client (`total must be a decimal`). */
  readonly messages: string[]
  constructor(messages: string[] | string) {
    const list = typeof messages === 'string' ? [messages] : messages
    super(list.join('; '))
    this.name = 'BodyError'
    this.messages = list
  }
}
