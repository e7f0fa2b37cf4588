/**
 * The Postman collection of the transition guide's step 3 ("Credentials test … using an HTTP Client
 * like Postman"), in Postman's collection format v2.1, with its environment. Pure: `keyshift
 * postman` writes it to files and the Setup pages build it in the browser. The secret is never in
 * it: the environment's `client_secret` is an empty secret for the user to fill in.
 * https://schema.getpostman.com/json/collection/v2.1.0/collection.json
 */
import { findResource, permissionTable, type ResourcePermission } from '../catalogue/index.ts'

export const POSTMAN_COLLECTION_SCHEMA =
  'https://schema.getpostman.com/json/collection/v2.1.0/collection.json'

export interface PostmanCollectionOptions {
  /** The instance: `https://acme.coupahost.com` (a trailing slash is dropped). */
  baseUrl: string
  /** The client Identifier; the environment's `client_id` is left empty without it. */
  clientId?: string
  /** The client's Oidc Scopes; they choose the resources the collection reads. */
  scopes: readonly string[]
}

/** `{ key, value }` pairs: variables, headers, form fields and auth settings alike. */
export interface PostmanPair {
  key: string
  value: string
  type?: string
  enabled?: boolean
}

export interface PostmanEvent {
  listen: 'prerequest' | 'test'
  script: { type: 'text/javascript'; exec: string[] }
}

export interface PostmanAuth {
  type: 'oauth2' | 'noauth'
  oauth2?: PostmanPair[]
}

export interface PostmanItem {
  name: string
  request: {
    method: string
    url: string
    description: string
    header: PostmanPair[]
    body?: { mode: 'urlencoded'; urlencoded: PostmanPair[] }
    auth?: PostmanAuth
  }
  event: PostmanEvent[]
}

export interface PostmanCollection {
  info: { name: string; description: string; schema: typeof POSTMAN_COLLECTION_SCHEMA }
  auth: PostmanAuth
  event: PostmanEvent[]
  variable: PostmanPair[]
  item: PostmanItem[]
}

export interface PostmanEnvironment {
  name: string
  values: PostmanPair[]
  _postman_variable_scope: 'environment'
}

export interface PostmanFiles {
  collection: PostmanCollection
  environment: PostmanEnvironment
}

/** The resources the collection reads: one the scopes allow, one they do not (either may be absent). */
export interface PostmanResources {
  inScope: ResourcePermission | undefined
  outOfScope: ResourcePermission | undefined
}

/** The first resource of the catalogue whose read scope is among `scopes`, and the first whose is not. */
export function postmanResources(scopes: readonly string[]): PostmanResources {
  const reads = permissionTable.filter((permission) => permission.action === 'index')
  return {
    inScope: reads.find((read) => scopes.includes(read.scope)),
    outOfScope: reads.find((read) => !scopes.includes(read.scope)),
  }
}

const TOKEN_URL = '{{base_url}}/oauth2/token'

/** The guide's token request body: client_id, grant_type, scope, client_secret. */
const TOKEN_FORM: PostmanPair[] = [
  { key: 'client_id', value: '{{client_id}}' },
  { key: 'grant_type', value: 'client_credentials' },
  { key: 'scope', value: '{{scope}}' },
  { key: 'client_secret', value: '{{client_secret}}' },
]

// Postman's own OAuth 2.0 ("Get New Access Token"): client credentials sent in the body, as Coupa
// documents. The token it sends is {{access_token}}, which the collection's pre-request script keeps.
const OAUTH2_SETTINGS: [string, string][] = [
  ['grant_type', 'client_credentials'],
  ['accessTokenUrl', TOKEN_URL],
  ['clientId', '{{client_id}}'],
  ['clientSecret', '{{client_secret}}'],
  ['scope', '{{scope}}'],
  ['client_authentication', 'body'],
  ['accessToken', '{{access_token}}'],
  ['tokenType', 'Bearer'],
  ['headerPrefix', 'Bearer'],
  ['addTokenTo', 'header'],
  ['tokenName', 'Keyshift client credentials'],
]
const OAUTH2: PostmanPair[] = OAUTH2_SETTINGS.map(([key, value]) => ({ key, value, type: 'string' }))

// newman does not fetch OAuth 2.0 tokens: this script does, for Postman and newman alike, when
// access_token is empty or expires within a minute. The token request itself needs none.
const TOKEN_SCRIPT = [
  "if (!pm.request.url.getPath().endsWith('/oauth2/token')) {",
  "  const expiresAt = Number(pm.collectionVariables.get('access_token_expires_at') || 0);",
  "  if (!pm.collectionVariables.get('access_token') || Date.now() > expiresAt - 60000) {",
  '    pm.sendRequest({',
  `      url: pm.variables.replaceIn('${TOKEN_URL}'),`,
  "      method: 'POST',",
  "      header: [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }],",
  `      body: { mode: 'urlencoded', urlencoded: ${JSON.stringify(TOKEN_FORM)}`,
  '        .map((field) => ({ key: field.key, value: pm.variables.replaceIn(field.value) })) },',
  '    }, (error, response) => {',
  '      let body = {};',
  '      try { body = error ? {} : response.json(); } catch (notJson) {}',
  '      if (!error && response.code === 200 && body.access_token) {',
  "        pm.collectionVariables.set('access_token', body.access_token);",
  "        pm.collectionVariables.set('access_token_expires_at', String(Date.now() + (body.expires_in || 0) * 1000));",
  '        return;',
  '      }',
  "      const why = error ? error.message : response.code + ' ' + (body.error || '');",
  "      const hint = pm.variables.get('client_secret') ? '' : '; client_secret is empty: paste the Secret into the environment';",
  "      pm.test('an access token for this request', () => { throw new Error('the token endpoint answered ' + why + hint); });",
  '    });',
  '  }',
  '}',
]

function script(listen: PostmanEvent['listen'], exec: string[]): PostmanEvent {
  return { listen, script: { type: 'text/javascript', exec } }
}

function status(code: number): string {
  return `pm.test('status ${code}', () => pm.response.to.have.status(${code}));`
}

function tokenItem(): PostmanItem {
  return {
    name: 'Get a token (client credentials)',
    request: {
      method: 'POST',
      url: TOKEN_URL,
      description:
        "The guide's step 3: POST the client credentials as a form to /oauth2/token; the answer's access_token authorizes calls within the scopes for expires_in seconds.",
      header: [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
      body: { mode: 'urlencoded', urlencoded: TOKEN_FORM },
      auth: { type: 'noauth' },
    },
    event: [
      script('test', [
        status(200),
        "pm.test('a Bearer access token with its lifetime', () => {",
        '  const body = pm.response.json();',
        "  pm.expect(body.access_token).to.be.a('string').and.not.empty;",
        "  pm.expect(String(body.token_type).toLowerCase()).to.equal('bearer');",
        "  pm.expect(body.expires_in).to.be.a('number');",
        '});',
      ]),
    ],
  }
}

function readItem(read: ResourcePermission, format: 'JSON' | 'XML'): PostmanItem {
  const xmlRoot = findResource(read.resource)?.xmlCollection ?? read.resource
  const check =
    format === 'JSON'
      ? [
          "pm.test('JSON: a list', () => {",
          "  pm.expect(pm.response.headers.get('Content-Type')).to.include('application/json');",
          "  pm.expect(pm.response.json()).to.be.an('array');",
          '});',
        ]
      : [
          `pm.test('XML: <${xmlRoot}>', () => {`,
          "  pm.expect(pm.response.headers.get('Content-Type')).to.match(/xml/);",
          `  pm.expect(pm.response.text()).to.match(/<${xmlRoot}[\\s>]/);`,
          '});',
        ]
  return {
    name: `GET /api/${read.resource} in ${format} (${read.scope})`,
    request: {
      method: 'GET',
      url: `{{base_url}}/api/${read.resource}?limit=1`,
      description:
        format === 'JSON'
          ? `A call within the scopes, with the token and Accept: application/json. Needs ${read.scope}.`
          : `The same call without Accept: the answer is XML. An empty XML search is a 404, so this needs one record. Needs ${read.scope}.`,
      header: format === 'JSON' ? [{ key: 'Accept', value: 'application/json' }] : [],
    },
    event: [script('test', [status(200), ...check])],
  }
}

function outOfScopeItem(read: ResourcePermission): PostmanItem {
  return {
    name: `GET /api/${read.resource} outside the scopes (${read.scope})`,
    request: {
      method: 'GET',
      url: `{{base_url}}/api/${read.resource}?limit=1`,
      description: `The token lacks ${read.scope}: the answer is 403 with WWW-Authenticate: Bearer error="insufficient_scope".`,
      header: [{ key: 'Accept', value: 'application/json' }],
    },
    event: [
      script('test', [
        status(403),
        'pm.test(\'WWW-Authenticate: Bearer error="insufficient_scope"\', () => {',
        "  const challenge = pm.response.headers.get('WWW-Authenticate') || '';",
        '  pm.expect(challenge).to.match(/^Bearer\\b/);',
        '  pm.expect(challenge).to.include(\'error="insufficient_scope"\');',
        `  pm.expect(challenge).to.include('scope="${read.scope}"');`,
        '});',
      ]),
    ],
  }
}

const DESCRIPTION = [
  "Step 3 of Coupa's OAuth 2.0 transition guide: test the new client credentials. Import this collection and its environment, paste the client's Secret into the environment's client_secret (it is never written to these files), then run the collection.",
  'Authorization is OAuth 2.0 (client credentials, credentials in the body) on the collection: in Postman, "Get New Access Token" works as the guide describes. newman (Postman\'s command line) does not fetch OAuth 2.0 tokens itself, so the collection\'s pre-request script gets one with pm.sendRequest when access_token is empty or expired and keeps it in the collection variable access_token, which the OAuth 2.0 authorization sends.',
]

/** The collection and its environment for `baseUrl`, the client and its scopes. Never a secret. */
export function postmanCollection(options: PostmanCollectionOptions): PostmanFiles {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const scopes = [...new Set(options.scopes)]
  const { inScope, outOfScope } = postmanResources(scopes)
  const name = `OAuth 2.0 credentials test: ${baseUrl.replace(/^https?:\/\//, '')}`
  const item = [
    tokenItem(),
    ...(inScope === undefined ? [] : [readItem(inScope, 'JSON'), readItem(inScope, 'XML')]),
    ...(outOfScope === undefined ? [] : [outOfScopeItem(outOfScope)]),
  ]
  const variable = (key: string, value: string, type = 'default'): PostmanPair => ({
    key,
    value,
    type,
    enabled: true,
  })
  return {
    collection: {
      info: { name, description: DESCRIPTION.join('\n\n'), schema: POSTMAN_COLLECTION_SCHEMA },
      auth: { type: 'oauth2', oauth2: OAUTH2 },
      event: [script('prerequest', TOKEN_SCRIPT)],
      variable: [variable('access_token', ''), variable('access_token_expires_at', '0')],
      item,
    },
    environment: {
      name,
      values: [
        variable('base_url', baseUrl),
        variable('client_id', options.clientId ?? ''),
        variable('scope', scopes.join(' ')),
        variable('client_secret', '', 'secret'),
      ],
      _postman_variable_scope: 'environment',
    },
  }
}
