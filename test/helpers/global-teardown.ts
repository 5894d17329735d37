import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__icnTestPg as { child: ChildProcess; dataDir: string } | undefined
  if (!pg) return
  await new Promise<void>((resolve) => {
    pg.child.once('exit', () => resolve())
    pg.child.kill('SIGTERM')
    setTimeout(() => pg.child.kill('SIGKILL'), 10000).unref()
  })
  fs.rmSync(pg.dataDir, { recursive: true, force: true })
}
