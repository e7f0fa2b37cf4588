/**
 * Where a transition command runs: the one instance of `--url`, or every instance of the agent
 * configuration (`--config keyshift.yaml`), each answer grouped under its instance's name. An
 * instance of kind `keyshift` is asked through its admin API (its `admin` block); one of kind
 * `coupa` (a real Coupa instance) is followed from the agent's usage (observed/), by the commands
 * that can: review, plan, status and verify.
 */
import { ADMIN_OPTIONS, adminApiOptionsFromArgs } from '../admin/options.ts'
import { type AdminTarget, loadAdminTargets } from '../agent/config/admin.ts'
import { type Context, flagArg, type OptionTable, type ParsedArgs, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'
import { displayUrl } from '../net.ts'
import { json } from '../output.ts'
import { missingConfigHint } from './agent-config.ts'
import { createTransitionApi, type TransitionApi } from './api.ts'
import type { ObservedInstance } from './observed/reports.ts'
import { coupaInstances, observedInstance, readTransitionConfig, readUsage } from './observed/source.ts'

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

function pickInstances(
  all: AdminTarget[],
  wanted: string | undefined,
  file: string,
  coupa: readonly string[] = [],
): AdminTarget[] {
  const names = all.map((target) => target.instance).join(', ') || 'none'
  const onCoupa =
    coupa.length === 0
      ? ''
      : `; ${coupa.join(', ')} ${coupa.length === 1 ? 'is a Coupa instance' : 'are Coupa instances'} (kind: coupa): review, plan, status and verify follow them from the agent's usage, and their keys are revoked in Coupa (Setup → API Keys)`
  if (wanted === undefined) {
    if (all.length === 0) {
      throw new CliError('KS_USAGE', `no instance of ${file} has an admin block${onCoupa}`, {
        hint: `add an \`admin:\` block with \`password: \${VAR}\` under a Keyshift instance (see AGENT.md)`,
      })
    }
    return all
  }
  const target = all.find((candidate) => candidate.instance === wanted)
  if (target === undefined) {
    throw new CliError(
      'KS_USAGE',
      `no instance ${JSON.stringify(wanted)} with an admin block in ${file}${coupa.includes(wanted) ? onCoupa : ''}`,
      {
        hint: `instances with an admin block: ${names}`,
      },
    )
  }
  return [target]
}

async function configTargets(context: Context, args: ParsedArgs, file: string, path: string) {
  for (const option of ['url', 'user', 'password']) {
    if (stringArg(args, option) !== undefined) {
      throw usage(`give --${option} or --config, not both (the admin block of each instance says it)`, path)
    }
  }
  const all = await loadAdminTargets(file, context.env).catch((error: unknown) => {
    const cause = (error as { cause?: unknown }).cause
    if (error instanceof CliError && error.code === 'KS_AGENT_CONFIG_UNREADABLE' && cause !== undefined)
      throw missingConfigHint(file, cause, ' (--kind keyshift gives its instances an admin block)')
    throw error
  })
  const coupa = coupaInstances(await readTransitionConfig(file))
  return pickInstances(all, stringArg(args, 'instance'), file, coupa).map(
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
export async function forEachTarget<T extends { instance: string | undefined; url: URL | string }>(
  context: Context,
  args: ParsedArgs,
  targets: T[],
  step: (target: T) => Promise<Outcome>,
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
    else if (grouped) {
      const url = typeof target.url === 'string' ? target.url : displayUrl(target.url)
      context.io.stdout(`== ${name} (${url}) ==\n${outcome.text}\n`)
    } else context.io.stdout(outcome.text)
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

/** What a command does on each kind of instance: through the admin API, or from the agent's usage. */
export interface InstanceSteps {
  keyshift(target: Target): Promise<Outcome>
  coupa(observed: ObservedInstance): Outcome
}

type Place = { instance: string | undefined; url: URL | string } & (
  | { kind: 'keyshift'; target: Target }
  | { kind: 'coupa' }
)

async function places(context: Context, args: ParsedArgs, file: string, path: string): Promise<Place[]> {
  const config = await readTransitionConfig(file)
  const coupa = coupaInstances(config)
  const wanted = stringArg(args, 'instance')
  if (wanted !== undefined && config.raw.instances[wanted] === undefined) {
    const names = Object.keys(config.raw.instances).join(', ')
    throw new CliError('KS_USAGE', `no instance ${JSON.stringify(wanted)} in ${file}`, {
      hint: `instances: ${names}`,
    })
  }
  const keyshift =
    wanted !== undefined && coupa.includes(wanted)
      ? []
      : Object.keys(config.raw.instances).length > coupa.length
        ? await configTargets(context, args, file, path)
        : []
  const byName = new Map(keyshift.map((target) => [target.instance, target]))
  return Object.entries(config.raw.instances)
    .filter(([name]) => wanted === undefined || name === wanted)
    .flatMap(([name, instance]): Place[] => {
      if (coupa.includes(name)) return [{ instance: name, url: instance.url, kind: 'coupa' }]
      const target = byName.get(name)
      return target === undefined ? [] : [{ instance: name, url: target.url, kind: 'keyshift', target }]
    })
}

/**
 * Runs a reporting command (review, plan, status, verify) on `--url`, or on every instance of
 * `--config`: a Keyshift instance through its admin API, a Coupa instance from the agent's usage
 * (read once, from the running agent or its state_dir).
 */
export async function forEachInstance(
  context: Context,
  args: ParsedArgs,
  path: string,
  steps: InstanceSteps,
): Promise<void> {
  const file = stringArg(args, 'config')
  if (file === undefined) {
    const targets = await transitionTargets(context, args, path)
    return forEachTarget(context, args, targets, steps.keyshift)
  }
  for (const option of ['url', 'user', 'password']) {
    if (stringArg(args, option) !== undefined) {
      throw usage(`give --${option} or --config, not both (the admin block of each instance says it)`, path)
    }
  }
  const all = await places(context, args, file, path)
  const config = await readTransitionConfig(file)
  let usageRead: Awaited<ReturnType<typeof readUsage>> | undefined
  await forEachTarget(context, args, all, async function onePlace(place) {
    if (place.kind === 'keyshift') return steps.keyshift(place.target)
    usageRead ??= await readUsage(context, config)
    const now = context.now().getTime()
    return steps.coupa(observedInstance(config, place.instance as string, usageRead, now))
  })
}
