import DataLoader from 'dataloader'
import type { NetworkPreset } from '../config'
import { AccountRow, accountsByIds } from './sql/accounts'
import type { Db } from './sql/db'

/** Per-request state: DataLoaders are never shared between requests. */
export interface ApiContext {
  db: Db
  preset: NetworkPreset
  loaders: {
    account: DataLoader<string, AccountRow | null>
  }
}

export function makeContext(db: Db, preset: NetworkPreset): ApiContext {
  return {
    db,
    preset,
    loaders: {
      account: new DataLoader(async (ids) => {
        const rows = await accountsByIds(db, ids)
        const byId = new Map(rows.map((r) => [r.id, r]))
        return ids.map((id) => byId.get(id) ?? null)
      }),
    },
  }
}
