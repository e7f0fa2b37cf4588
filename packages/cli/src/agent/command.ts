/**
 * `keyshift agent`: the command description (options, help) and its argument parsing. The only
 * file of the agent that touches the process: it passes `process` as the signal source.
 */
import { resolve } from 'node:path'
import { type Command, type Context, flagArg, type ParsedArgs, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'
import { ENV_FILE_VARIABLE } from './config/load.ts'
import { AgentError } from './errors.ts'
import { type RunAgentOptions, runAgent, type SignalSource } from './main.ts'
import { LOG_LEVELS, type LogLevel } from './telemetry/logger.ts'

const PATH = 'keyshift agent'
const DEFAULT_CONFIG = './keyshift.yaml'

function logLevel(value: string | undefined): LogLevel {
  if (value === undefined || value === '') return 'info'
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel
  throw new CliError('KS_USAGE', `--log-level must be one of ${LOG_LEVELS.join(', ')}; run '${PATH} --help'`)
}

/** The options of `runAgent` from the parsed command line; flags win over the environment. */
export function agentOptionsFromArgs(
  context: Context,
  args: ParsedArgs,
  signals: SignalSource,
): RunAgentOptions {
  const configPath = stringArg(args, 'config') ?? context.env.KEYSHIFT_AGENT_CONFIG ?? DEFAULT_CONFIG
  if (configPath === '') throw new CliError('KS_USAGE', `--config needs a file; run '${PATH} --help'`)
  const envFile = stringArg(args, 'env-file')
  if (envFile === '') throw new CliError('KS_USAGE', `--env-file needs a file; run '${PATH} --help'`)
  return {
    configPath,
    // The env file travels as the variable that names it, so that every reload reads it again.
    env: envFile === undefined ? context.env : { ...context.env, [ENV_FILE_VARIABLE]: resolve(envFile) },
    log: (line) => context.io.stderr(line),
    print: (text) => context.io.stdout(text),
    logLevel: logLevel(stringArg(args, 'log-level') ?? context.env.LOG_LEVEL),
    // No fetch from the context: each instance is reached through its own proxy and CAs.
    signals,
    check: flagArg(args, 'check') || flagArg(args, 'connect'),
    connect: flagArg(args, 'connect'),
    json: flagArg(args, 'json'),
  }
}

/** A configuration that is not there: say how to write one. */
function withInitHint(error: unknown, configPath: string): unknown {
  if (!(error instanceof AgentError) || error.agentCode !== 'KS_AGENT_CONFIG_UNREADABLE') return error
  if ((error.cause as { code?: unknown } | undefined)?.code !== 'ENOENT') return error
  if (!error.message.startsWith('cannot read the configuration')) return error
  return new CliError(error.code, error.message, {
    cause: error,
    hint: `write a starter configuration with \`keyshift init --out ${configPath}\``,
  })
}

async function runAgentCommand(context: Context, args: ParsedArgs): Promise<void> {
  const options = agentOptionsFromArgs(context, args, process)
  try {
    await runAgent(options)
  } catch (error) {
    throw withInitHint(error, options.configPath)
  }
}

export const agentCommand: Command = {
  kind: 'command',
  name: 'agent',
  summary:
    'Keep OAuth tokens fresh and serve them to integrations: a token service and a credential-adding proxy',
  usage: '[--config FILE] [--env-file FILE] [--check [--connect]] [--log-level LEVEL]',
  description: [
    'Keeps one OAuth 2.0 client credentials token per instance and client fresh (refreshed every 20',
    'hours, persisted in state_dir), and serves integrations on a loopback address: GET',
    '/v1/tokens/<integration> hands out the token, /<integration>/api/... proxies to the instance',
    'adding Authorization: Bearer <token> or, while the integration is on auth: api_key,',
    'X-COUPA-API-KEY. Flip an integration by changing its auth line; the agent reloads the file',
    `on change or on SIGHUP without dropping requests. Secrets are \${ENV_VAR} references only, set in`,
    'the environment or in the env file (env_file: or --env-file, mode 0600), read again at each reload.',
    'See packages/cli/AGENT.md.',
  ],
  options: {
    config: {
      type: 'string',
      value: 'FILE',
      env: 'KEYSHIFT_AGENT_CONFIG',
      default: DEFAULT_CONFIG,
      description: 'the agent configuration (YAML)',
    },
    'env-file': {
      type: 'string',
      value: 'FILE',
      env: ENV_FILE_VARIABLE,
      description: `NAME=value lines for the \${VAR} references, instead of env_file: (mode 0600; variables set in the environment win)`,
    },
    check: {
      type: 'boolean',
      description: `check the configuration and its \${ENV_VAR} references, then exit`,
    },
    connect: {
      type: 'boolean',
      description:
        "with --check: try each instance's token endpoint through its proxy and CAs; print DNS, proxy CONNECT, TLS and the answer",
    },
    'log-level': {
      type: 'string',
      value: 'LEVEL',
      env: 'LOG_LEVEL',
      default: 'info',
      description: `${LOG_LEVELS.join(', ')}; logs are JSON lines on stderr`,
    },
  },
  environment: {
    KEYSHIFT_AGENT_CONFIG: 'the configuration file, when --config is not given',
    [ENV_FILE_VARIABLE]: 'the env file, when --env-file is not given (else env_file: of the configuration)',
    'HTTPS_PROXY, HTTP_PROXY, NO_PROXY': 'the outbound proxy of instances with proxy: env (the default)',
    'ERP_CLIENT_SECRET, …':
      'each variable the configuration refers to: client secrets, API keys, local secrets',
  },
  examples: [
    `${PATH} --config keyshift.yaml`,
    `${PATH} --config keyshift.yaml --check`,
    `${PATH} --config keyshift.yaml --env-file secrets.env`,
    `${PATH} --config keyshift.yaml --check --connect   # network or credentials?`,
    'kill -HUP <pid>   # reload the configuration now',
  ],
  run: runAgentCommand,
}
