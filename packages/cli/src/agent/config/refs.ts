/**
 * `${NAME}` references in the configuration: secrets live in environment variables, never in the
 * file (which ends up in version control, backups and support tickets).
 */
import type { Env, Problem } from './types.ts'

const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/

/** The variable name of a whole-value reference `${NAME}`, or undefined. */
function referenceName(value: string): string | undefined {
  return REFERENCE.exec(value)?.[1]
}

/** A variable name to suggest for the secret at `path`: `integrations.invoice-export.local_secret` → `INVOICE_EXPORT_LOCAL_SECRET`. */
function suggestedVariable(path: string): string {
  const parts = path.split('.').slice(1)
  const useful = parts.filter((part) => part !== 'clients')
  return useful
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
}

export interface ResolveOptions {
  /** A secret must be a reference; an inline value is refused. */
  secret: boolean
}

/**
 * Resolves `value` found at `path`: a `${NAME}` reference is looked up in `env`; an inline value is
 * kept unless it is a secret. Problems are pushed to `problems` (never with the value in them) and
 * `undefined` is returned.
 */
export function resolveValue(
  value: string,
  path: string,
  env: Env,
  problems: Problem[],
  options: ResolveOptions,
): string | undefined {
  const name = referenceName(value)
  if (name === undefined) {
    if (value.includes('${')) {
      problems.push({ path, message: `only a whole value can be an environment reference such as \${NAME}` })
      return undefined
    }
    if (!options.secret) return value
    problems.push({
      path,
      message: `an inline secret is refused: put it in an environment variable and write \${${suggestedVariable(path)}}`,
    })
    return undefined
  }
  const resolved = env[name]
  if (resolved === undefined) {
    problems.push({ path, message: `environment variable ${name} is not set` })
    return undefined
  }
  if (resolved === '') {
    problems.push({ path, message: `environment variable ${name} is empty` })
    return undefined
  }
  return resolved
}

/**
 * Checks a secret that is not resolved here (not in use, or not the agent's to use): it is left
 * alone when it is a reference, whether its variable is set or not, and refused when it is inline.
 */
export function checkUnresolvedSecret(value: string | undefined, path: string, problems: Problem[]): void {
  if (value !== undefined && referenceName(value) === undefined) {
    resolveValue(value, path, {}, problems, { secret: true })
  }
}
