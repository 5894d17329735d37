/**
 * The project's own log lines: `<component>: message` as text, or one JSON
 * object per line (LOG_FORMAT=json, for production log collectors). The
 * format is set once at process start from the validated config.
 */
let json = false

export function setLogFormat(asJson: boolean): void {
  json = asJson
}

function write(level: 'info' | 'warn' | 'error', component: string, msg: string, fields?: Record<string, unknown>): void {
  const line = json ? JSON.stringify({ level, time: new Date().toISOString(), component, msg, ...fields }) : `${component}: ${msg}`
  if (level === 'info') console.log(line)
  else console.error(line)
}

export const log = {
  info: (component: string, msg: string, fields?: Record<string, unknown>) => write('info', component, msg, fields),
  warn: (component: string, msg: string, fields?: Record<string, unknown>) => write('warn', component, msg, fields),
  error: (component: string, msg: string, fields?: Record<string, unknown>) => write('error', component, msg, fields),
}
