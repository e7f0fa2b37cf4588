/**
 * `keyshift transition apply`: checks the whole plan, then creates its clients, links each key to
 * its client, writes the secrets once and adds the clients to the agent's configuration. Every check
 * that can fail is made before the first client is created.
 */
import { adminApiOptionsFromArgs, DEFAULT_URL } from '../admin/options.ts'
import { type Command, type Context, flagArg, type ParsedArgs, requireArg, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'
import { displayUrl } from '../net.ts'
import { json } from '../output.ts'
import { type AgentConfigFile, openAgentConfig } from '../transition/agent-config.ts'
import { createTransitionApi } from '../transition/api.ts'
import { applyPlan } from '../transition/apply.ts'
import { finishApply } from '../transition/apply-finish.ts'
import { type PlanFile, readPlan } from '../transition/plan-read.ts'
import { createSecretsFile, type SecretsFile } from '../transition/secrets.ts'
import {
  type Target,
  TRANSITION_ENVIRONMENT,
  TRANSITION_OPTIONS,
  transitionTargets,
} from '../transition/targets.ts'

const PATH = 'keyshift transition apply'

function usage(message: string): CliError {
  return new CliError('KS_USAGE', `${message}; run '${PATH} --help'`)
}

function phaseArg(args: ParsedArgs): number | undefined {
  const value = stringArg(args, 'phase')
  if (value === undefined) return undefined
  if (!/^[1-9]\d*$/.test(value)) throw usage('--phase must be a phase number: 1, 2, …')
  return Number(value)
}

function sameInstance(a: string, b: URL): boolean {
  return displayUrl(new URL(a)).replace(/\/+$/, '') === displayUrl(b).replace(/\/+$/, '')
}

/** The instance: of `--config` (one), else `--url` / KEYSHIFT_URL, else the plan's `instance:`. */
async function applyTarget(context: Context, args: ParsedArgs, plan: PlanFile): Promise<Target> {
  let target: Target
  if (stringArg(args, 'config') !== undefined) {
    const targets = await transitionTargets(context, args, PATH)
    if (targets.length !== 1)
      throw usage('apply works on one instance: choose one of --config with --instance')
    target = targets[0] as Target
  } else {
    const url = stringArg(args, 'url') ?? context.env.KEYSHIFT_URL ?? plan.instance ?? DEFAULT_URL
    const options = adminApiOptionsFromArgs(context, { ...args, values: { ...args.values, url } }, PATH)
    target = { instance: undefined, url: options.url, api: createTransitionApi(options) }
  }
  if (plan.instance !== undefined && !sameInstance(plan.instance, target.url)) {
    throw new CliError(
      'KS_USAGE',
      `the plan was made for ${plan.instance}, not ${displayUrl(target.url)}; nothing was created`,
      { hint: 'apply it to its instance, or edit `instance:` in the plan if that is the same instance' },
    )
  }
  return target
}

async function agentConfig(args: ParsedArgs, target: Target): Promise<AgentConfigFile | undefined> {
  const file = stringArg(args, 'agent-config')
  const instance = stringArg(args, 'instance') ?? target.instance
  if (file === undefined) {
    if (stringArg(args, 'instance') !== undefined && stringArg(args, 'config') === undefined) {
      throw usage('--instance goes with --agent-config (or --config)')
    }
    return undefined
  }
  if (instance === undefined)
    throw usage('--agent-config needs --instance NAME: the instance to add clients to')
  return openAgentConfig(file, instance)
}

async function runApply(context: Context, args: ParsedArgs): Promise<void> {
  const planPath = requireArg(args, 'plan', PATH)
  const phase = phaseArg(args)
  const plan = await readPlan(planPath)
  const target = await applyTarget(context, args, plan)
  const agent = await agentConfig(args, target)
  const secretsPath = stringArg(args, 'secrets-file')
  const secretsFile: SecretsFile | undefined =
    secretsPath === undefined ? undefined : await createSecretsFile(secretsPath)
  const applied = await applyPlan(target.api, plan.keys, phase)
  const finished = await finishApply(applied.results, { secretsFile, agent })
  if (flagArg(args, 'json')) {
    context.io.stdout(json({ instance: displayUrl(target.url), phase: phase ?? null, ...finished.answer }))
  } else context.io.stdout(finished.text)
  if (finished.warning !== undefined) context.io.stderr(finished.warning)
  const failures = [applied.failure, ...finished.failures].filter((f): f is CliError => f !== undefined)
  const [first, ...others] = failures
  if (first === undefined) return
  throw new CliError(first.code, first.message, {
    cause: first,
    details: [...first.details, ...others.map((other) => `also ${other.code}: ${other.message}`)],
    hint: first.hint ?? 'fix the cause and run apply again: clients that exist now are skipped',
  })
}

export const applyCommand: Command = {
  kind: 'command',
  name: 'apply',
  summary: 'Create the clients of a plan file, link each key to its client, write the secrets once',
  usage:
    '--plan plan.yaml [--phase N] [--secrets-file FILE] [--agent-config keyshift.yaml --instance NAME] [options]',
  description: [
    'Checks the whole plan first: any problem (named by line and field) stops it before anything is',
    'created. Then, for each `replace` key (of --phase), creates its OAuth client and links the key to',
    'it; a login that exists already (an earlier apply, a client made by hand) links the key to that',
    'client instead, so apply can be run again. A `link` key is linked to the existing client its',
    'entry names (client_id, or login). `revoke` keys are only reported: apply never revokes (see',
    '`keyshift transition revoke`).',
    'The secrets are written once, to a new --secrets-file (mode 0600), or else printed once. With',
    "--agent-config, that file becomes the configuration's env_file: when it has none, and apply",
    'prints the command that runs the agent.',
  ],
  options: {
    ...TRANSITION_OPTIONS,
    plan: { type: 'string', value: 'FILE', description: 'the plan file (`keyshift transition plan --out`)' },
    instance: {
      type: 'string',
      value: 'NAME',
      description:
        'the instance of --agent-config to add the clients to (with --config: also the one to run on)',
    },
    phase: { type: 'string', value: 'N', description: 'only the keys of this phase' },
    'secrets-file': {
      type: 'string',
      value: 'FILE',
      description: 'write the secrets here as NAME_CLIENT_ID=… lines (a new file, mode 0600)',
    },
    'agent-config': {
      type: 'string',
      value: 'FILE',
      description: "add each client and its integration to this agent configuration, under --instance's",
    },
  },
  environment: TRANSITION_ENVIRONMENT,
  examples: [
    `${PATH} --plan plan.yaml --phase 1 --secrets-file phase1.env \\`,
    '  --agent-config keyshift.yaml --instance production',
  ],
  run: runApply,
}
