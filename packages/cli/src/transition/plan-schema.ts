/**
 * The rules of a plan file (docs/TRANSITION.md, "The plan file"): its shape, checked with zod, then
 * the rules across fields and keys. Each step returns every problem it finds, by path, so that one
 * run names them all; messages never quote a value.
 */
import { z } from 'zod'
import { NAME_PATTERN } from '../agent/config/schema.ts'

/** A path in the plan file: `['keys', 0, 'scopes']`. */
export type PlanPath = (string | number)[]

export interface PlanProblem {
  path: PlanPath
  message: string
}

/** `is required` when missing, `must be …` otherwise. */
function must(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`)
}

const SCOPE = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/
/** It names the agent integration: the agent's own rule for names. */
const INTEGRATION = NAME_PATTERN
const INTEGRATION_RULE = 'letters, digits, ".", "_" and "-", starting with a letter or digit'

const text = z.string({ error: must('text') }).min(1, { error: 'must not be empty' })

function isScopeList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((scope) => typeof scope === 'string' && SCOPE.test(scope))
}

/** The client of a key: name and login for a new one (`replace`); client_id or login for `link`. */
const clientSchema = z.strictObject(
  { name: text.optional(), login: text.optional(), client_id: text.optional() },
  { error: must('a mapping with name and login (and client_id for link)') },
)

const keySchema = z.strictObject(
  {
    api_key_id: text,
    api_key_name: text.optional(),
    action: z.enum(['replace', 'link', 'revoke', 'skip'], { error: must('replace, link, revoke or skip') }),
    phase: z
      .number({ error: must('a phase number (1, 2, …) or null') })
      .int({ error: 'must be a whole number' })
      .positive({ error: 'must be 1 or more' })
      .nullable()
      .optional(),
    client: clientSchema.nullable().optional(),
    scopes: z.custom<string[]>(isScopeList, { error: 'must be a list of scope names' }).optional(),
    integration: z
      .string({ error: must('text') })
      .regex(INTEGRATION, {
        error: `must be a name of the agent configuration: ${INTEGRATION_RULE}`,
      })
      .optional(),
    reason: z
      .string({ error: must('text') })
      .nullable()
      .optional(),
  },
  { error: must('a mapping (api_key_id, action, …)') },
)

const planSchema = z.strictObject(
  {
    instance: z
      .string({ error: must('text') })
      .refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), {
        error: 'must be the http(s) URL of the instance',
      })
      .optional(),
    generated_at: z.string({ error: must('text') }).optional(),
    keys: z.array(keySchema, { error: must('a list of keys') }),
  },
  { error: must('a mapping with instance and keys') },
)

export type PlanFileShape = z.output<typeof planSchema>

/** Checks the shape of the parsed YAML. */
export function shapeProblems(document: unknown): { plan: PlanFileShape } | { problems: PlanProblem[] } {
  const result = planSchema.safeParse(document)
  if (result.success) return { plan: result.data }
  return {
    problems: result.error.issues.flatMap(function issueProblems(issue): PlanProblem[] {
      const path = issue.path.map((part) => (typeof part === 'number' ? part : String(part)))
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown field' }))
      }
      return [{ path, message: issue.message }]
    }),
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

/** What a `link` needs: the existing client, by client_id or login. */
function linkProblems(key: Record<string, unknown>, path: PlanPath): PlanProblem[] {
  if (key.action !== 'link') return []
  const client = key.client
  if (client === undefined || client === null) {
    return [{ path: [...path, 'client'], message: 'is required when action is link (client_id or login)' }]
  }
  const { client_id, login } = record(client)
  if (client_id === undefined && login === undefined) {
    return [{ path: [...path, 'client', 'client_id'], message: 'is required when action is link (or login)' }]
  }
  return []
}

/** What a `replace` needs: a client with its name and login, and scopes. */
function replaceProblems(key: Record<string, unknown>, path: PlanPath): PlanProblem[] {
  if (key.action !== 'replace') return []
  const problems: PlanProblem[] = []
  if (key.client === undefined || key.client === null) {
    problems.push({
      path: [...path, 'client'],
      message: 'is required when action is replace (name and login)',
    })
  } else {
    for (const field of ['name', 'login']) {
      if (record(key.client)[field] === undefined)
        problems.push({ path: [...path, 'client', field], message: 'is required' })
    }
  }
  if (key.scopes === undefined) {
    problems.push({ path: [...path, 'scopes'], message: 'is required when action is replace' })
  } else if (Array.isArray(key.scopes) && key.scopes.length === 0) {
    problems.push({ path: [...path, 'scopes'], message: 'must not be empty when action is replace' })
  }
  return problems
}

/** A value that must be unique among the keys: the second and later uses are problems. */
function uniqueness(what: string) {
  const seen = new Map<string, number>()
  return function check(value: unknown, index: number, path: PlanPath): PlanProblem[] {
    if (typeof value !== 'string' || value === '') return []
    const first = seen.get(value)
    if (first === undefined) {
      seen.set(value, index)
      return []
    }
    return [{ path, message: `${what} is already used by keys[${first}]` }]
  }
}

type Unique = ReturnType<typeof uniqueness>

/** The names a `replace` key takes, its client login and its integration: each used only once. */
function nameProblems(
  key: Record<string, unknown>,
  at: { index: number; path: PlanPath },
  logins: Unique,
  integrations: Unique,
): PlanProblem[] {
  const login = record(key.client).login
  const loginPath = [...at.path, 'client', 'login']
  const named = key.integration !== undefined
  const problems: PlanProblem[] = []
  if (!named && typeof login === 'string' && login !== '' && !INTEGRATION.test(login)) {
    problems.push({
      path: loginPath,
      message: `cannot name the agent integration (${INTEGRATION_RULE}): add integration: NAME`,
    })
  }
  const loginTaken = logins(login, at.index, loginPath)
  const integrationPath = named ? [...at.path, 'integration'] : loginPath
  const integrationTaken = integrations(key.integration ?? login, at.index, integrationPath)
  // Without `integration:` the name is the login's: a taken login is one problem, not two.
  return [...problems, ...loginTaken, ...(!named && loginTaken.length > 0 ? [] : integrationTaken)]
}

/**
 * The rules across fields and keys, on the parsed YAML as is (so they are found even when the
 * shape has problems too): a `replace` needs a client (name, login) and scopes, a `link` its client
 * (client_id or login); no API key twice; no client login and no integration name used by two
 * `replace` keys.
 */
export function ruleProblems(document: unknown): PlanProblem[] {
  const keys = record(document).keys
  if (!Array.isArray(keys)) return []
  const ids = uniqueness('the same api_key_id')
  const logins = uniqueness('the same client login')
  const integrations = uniqueness('the same integration')
  return keys.flatMap(function keyProblems(value, index): PlanProblem[] {
    const key = record(value)
    const path: PlanPath = ['keys', index]
    return [
      ...replaceProblems(key, path),
      ...linkProblems(key, path),
      ...ids(key.api_key_id, index, [...path, 'api_key_id']),
      ...(key.action === 'replace' ? nameProblems(key, { index, path }, logins, integrations) : []),
    ]
  })
}
