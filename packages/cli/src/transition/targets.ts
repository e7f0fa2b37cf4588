/**
 * Where a transition command runs: the one instance of `--url`, or every instance of the agent
 * configuration (`--config keyshift.yaml`) that has an `admin` block, each answer grouped under its
 * instance's name.
 */
import { ADMIN_OPTIONS, adminApiOptionsFromArgs } from '../admin/options.ts'
import { type AdminTarget, loadAdminTargets } from '../agent/config/admin.ts'
import { type Context, flagArg, type OptionTable, type ParsedArgs, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'
import { displayUrl } from '../net.ts'
import { json } from '../output.ts'
import { createTransitionApi, type TransitionApi } from './api.ts'

export const TRANSITION_OPTIONS: OptionTable = {
  ...ADMIN_OPTIONS,
  config: {
    type: 'string',
    value: 'FILE',
    description:
      'instead of --url: run for every instance of this agent configuration that has an admin block',
  },
  instance: { type: 'string', value: 'NAME', description: 'with --config: only this instance' },
}

export const TRANSITION_ENVIRONMENT: Record<string, string> = {
  KEYSHIFT_URL: 'base URL of the instance, used when neither --url nor --config is given',
  KEYSHIFT_ADMIN_PASSWORD: 'admin password, used when --password is not given (not with --config)',
}

export interface Target {
  /** The instance's name in `--config`; undefined for `--url`. */
  instance: string | undefined
  url: URL
  api: TransitionApi
}

/** What one command did on one instance: the answer for `--json`, the text otherwise. */
export interface Outcome {
  answer: unknown
  text: string
  /** Thrown once every instance's output is printed (e.g. a key was refused). */
  failure?: CliError
}

function usage(message: string, path: string): CliError {
  return new CliError('KS_USAGE', `${message}; run '${path} --help'`)
}

function pickInstances(all: AdminTarget[], wanted: string | undefined, file: string): AdminTarget[] {
  const names = all.map((target) => target.instance).join(', ') || 'none'
  if (wanted === undefined) {
    if (all.length === 0) {
      throw new CliError('KS_USAGE', `no instance of ${file} has an admin block`, {
        hint: `add an \`admin:\` block with \`password: \${VAR}\` under an instance (see AGENT.md)`,
      })
    }
    return all
  }
  const target = all.find((candidate) => candidate.instance === wanted)
  if (target === undefined) {
    throw new CliError('KS_USAGE', `no instance ${JSON.stringify(wanted)} with an admin block in ${file}`, {
      hint: `instances with an admin block: ${names}`,
    })
  }
  return [target]
}

async function configTargets(context: Context, args: ParsedArgs, file: string, path: string) {
  for (const option of ['url', 'user', 'password']) {
    if (stringArg(args, option) !== undefined) {
      throw usage(`give --${option} or --config, not both (the admin block of each instance says it)`, path)
    }
  }
  const all = await loadAdminTargets(file, context.env)
  return pickInstances(all, stringArg(args, 'instance'), file).map(
    (target): Target => ({
      instance: target.instance,
      url: target.url,
      api: createTransitionApi({ ...target, fetch: context.fetch }),
    }),
  )
}

/**
 * The instances to run on. `--instance` selects one of `--config` (apply reads it itself, for
 * the agent configuration it edits).
 *
 * @throws {CliError} KS_USAGE for a conflicting command line; KS_AGENT_CONFIG_* for `--config`.
 */
export async function transitionTargets(context: Context, args: ParsedArgs, path: string): Promise<Target[]> {
  const file = stringArg(args, 'config')
  if (file !== undefined) return configTargets(context, args, file, path)
  if (stringArg(args, 'instance') !== undefined) throw usage('--instance goes with --config', path)
  const options = adminApiOptionsFromArgs(context, args, path)
  return [{ instance: undefined, url: options.url, api: createTransitionApi(options) }]
}

/** A CliError of one instance of `--config`, its message prefixed with the instance's name. */
export function onInstance(error: unknown, instance: string | undefined): unknown {
  if (instance === undefined || !(error instanceof CliError)) return error
  return new CliError(error.code, `instance ${instance}: ${error.message}`, {
    cause: error,
    details: error.details,
    hint: error.hint,
  })
}

/**
 * Runs `step` on each target in turn and prints: the text (under `== <instance> (<url>) ==` with
 * `--config`), or the JSON answer (`{ "<instance>": <answer> }` with `--config`). A failure of
 * one instance stops the run; a `failure` an outcome carries is thrown after everything is printed.
 */
export async function forEachTarget(
  context: Context,
  args: ParsedArgs,
  targets: Target[],
  step: (target: Target) => Promise<Outcome>,
): Promise<void> {
  const grouped = stringArg(args, 'config') !== undefined
  const answers: Record<string, unknown> = {}
  const failures: CliError[] = []
  for (const target of targets) {
    let outcome: Outcome
    try {
      outcome = await step(target)
    } catch (error) {
      throw onInstance(error, target.instance)
    }
    if (outcome.failure !== undefined) failures.push(onInstance(outcome.failure, target.instance) as CliError)
    const name = target.instance ?? ''
    if (flagArg(args, 'json')) answers[name] = outcome.answer
    else if (grouped) context.io.stdout(`== ${name} (${displayUrl(target.url)}) ==\n${outcome.text}\n`)
    else context.io.stdout(outcome.text)
  }
  if (flagArg(args, 'json')) context.io.stdout(json(grouped ? answers : answers['']))
  if (failures.length > 0) throw failures.length === 1 ? failures[0] : combined(failures)
}

function combined(failures: CliError[]): CliError {
  const first = failures[0] as CliError
  return new CliError(first.code, failures.map((failure) => failure.message).join('; '), {
    details: failures.flatMap((failure) => failure.details),
    hint: first.hint,
  })
}
