import { createOrmConfig } from '@subsquid/typeorm-config'
import { DataSource } from 'typeorm'
import { PROJECT_DIR } from '../config'

/** Applies every pending migration of db/migrations (the SDK reads DB_URL). */
export async function applyMigrations(): Promise<string[]> {
  const ds = new DataSource({ ...createOrmConfig({ projectDir: PROJECT_DIR }), migrationsTransactionMode: 'all' })
  await ds.initialize()
  try {
    const done = await ds.runMigrations()
    return done.map((m) => m.name)
  } finally {
    await ds.destroy()
  }
}
