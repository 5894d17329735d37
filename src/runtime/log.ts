/**
 * The project's one logger, backed by pino: `<component>: message` lines as
 * text, or one JSON object per line (LOG_FORMAT=json, for production log
 * collectors). The format is set once at process start from the validated
 * config. The API's Fastify server logs through the same pino instance
 * (`logger()`), so its lines take the same format and the same streams.
 *
 * Info lines go to stdout, warnings and errors to stderr (pino's multistream
 * with dedupe sends each line to the one stream of its level), as they did
 * when these were console.log / console.error.
 *
 * The SDK's own lines (its processor, RPC client) come through here too:
 * `routeSdkLogs` hands @subsquid/logger a sink (its public `setRootSink`)
 * that writes each record through this logger, the SDK's namespace as the
 * component, so there is one format and one pair of streams for everything.
 */
import path from 'node:path'
import { LogLevel, LogRecord, setRootSink } from '@subsquid/logger'
import pino, { DestinationStream, Logger } from 'pino'

/** One pino line (JSON) as the human-readable text line of this project. */
function textLine(json: string): string {
  const o = JSON.parse(json) as { component?: string; chain?: string; msg?: string; err?: { stack?: string; message?: string } }
  const err = o.err ? `: ${o.err.stack ?? o.err.message ?? ''}` : ''
  return `${o.component ?? 'log'}${o.chain ? `[${o.chain}]` : ''}: ${o.msg ?? ''}${err}\n`
}

function stream(to: NodeJS.WriteStream, json: boolean): DestinationStream {
  return json ? to : { write: (line: string) => void to.write(textLine(line)) }
}

function make(json: boolean, chain?: string): Logger {
  return pino(
    {
      // No pid or hostname: a container's collector adds its own. The chain, in a multi-chain network's indexer.
      base: chain ? { chain } : undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(
      [
        { level: 'info', stream: stream(process.stdout, json) },
        { level: 'warn', stream: stream(process.stderr, json) },
      ],
      { dedupe: true },
    ),
  )
}

let root = make(false)

/** `chain`: every line of this process names it (an indexer of one chain of several). */
export function setLogFormat(asJson: boolean, chain?: string): void {
  root = make(asJson, chain)
}

/** The pino instance behind `log` (for Fastify's `loggerInstance`). */
export function logger(): Logger {
  return root
}

type Fields = Record<string, unknown>

export const log = {
  info: (component: string, msg: string, fields?: Fields) => root.info({ component, ...fields }, msg),
  warn: (component: string, msg: string, fields?: Fields) => root.warn({ component, ...fields }, msg),
  error: (component: string, msg: string, fields?: Fields) => root.error({ component, ...fields }, msg),
}

const SDK_LEVEL: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  [LogLevel.TRACE]: 'trace',
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
  [LogLevel.FATAL]: 'fatal',
}

/** One SDK log record through this logger (exported for its test). */
export function sdkRecord(rec: LogRecord): void {
  // The record's own time is dropped: pino stamps the line.
  const { level, ns, msg, time: _time, ...rest } = rec
  root[SDK_LEVEL[level] ?? 'info']({ component: ns, ...rest }, msg ?? '')
}

/**
 * Sends the SDK's log records through this logger (call once, before the
 * processor starts). The sink is set on the @subsquid/logger this project
 * resolves; when the processor resolves another copy, its lines keep the
 * SDK's own format, and this says so.
 */
export function routeSdkLogs(): void {
  setRootSink(sdkRecord)
  const ours = require.resolve('@subsquid/logger')
  const processors = require.resolve('@subsquid/logger', { paths: [path.dirname(require.resolve('@subsquid/evm-processor'))] })
  if (ours !== processors) log.warn('log', `the processor loads another @subsquid/logger (${processors}, ours ${ours}): its lines keep the SDK's format`)
}
