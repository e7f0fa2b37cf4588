import { useEffect, useMemo } from 'preact/hooks'
import { postmanCollection } from '../../../server/src/contract/postman.ts'

interface PostmanLinksProps {
  clientId: string
  scopes: readonly string[]
  /** The client's login: the files are named after it. */
  login: string
}

/** `Invoice Export` → `invoice-export`: a file name that every system takes. */
function fileStem(login: string): string {
  return (
    login
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'keyshift'
  )
}

function jsonUrl(value: unknown): string {
  return URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }))
}

/**
 * The Postman collection of the guide's step 3 and its environment, made here in the browser by the
 * generator `keyshift postman` uses, for this instance and the client. The secret stays out of both:
 * the user pastes it into the environment's client_secret.
 */
export function PostmanLinks({ clientId, scopes, login }: PostmanLinksProps) {
  const urls = useMemo(() => {
    const { collection, environment } = postmanCollection({ baseUrl: location.origin, clientId, scopes })
    return { collection: jsonUrl(collection), environment: jsonUrl(environment) }
  }, [clientId, scopes])
  useEffect(
    () => () => {
      URL.revokeObjectURL(urls.collection)
      URL.revokeObjectURL(urls.environment)
    },
    [urls],
  )
  const stem = fileStem(login)
  return (
    <div class="field">
      <h2 class="label">Test in Postman</h2>
      <p>
        <a href={urls.collection} download={`${stem}.postman_collection.json`}>
          Download Postman collection
        </a>{' '}
        and{' '}
        <a href={urls.environment} download={`${stem}.postman_environment.json`}>
          Postman environment
        </a>
        : import both, paste the Secret into the environment's <code>client_secret</code> (the files do not
        hold it), then run the collection.
      </p>
    </div>
  )
}
