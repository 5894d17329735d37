/**
 * No import cycle anywhere in src/, type-only imports counted (`-T false`
 * keeps them: a type import still ties two modules together for the reader
 * and for the next refactor). Every file of src/ is an entry, so tools and
 * modules that no process imports are covered too. dpdm runs as its CLI: its
 * library imports ESM-only packages that jest's CommonJS cannot load.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from '../helpers'

const DPDM = path.join(ROOT, 'node_modules/dpdm/lib/bin/dpdm.js')

function dpdm(cwd: string, entries: string): { entries: string[]; circulars: string[][] } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dpdm-')), 'tree.json')
  execFileSync(process.execPath, [DPDM, '--no-tree', '--no-warning', '--no-progress', '-T', 'false', '-o', out, entries], { cwd, stdio: 'pipe' })
  return JSON.parse(fs.readFileSync(out, 'utf8')) as { entries: string[]; circulars: string[][] }
}

test('src/ has no import cycle, counting import type', () => {
  const r = dpdm(ROOT, 'src/**/*.ts')
  expect(r.entries).toEqual(expect.arrayContaining(['src/main.ts', 'src/api/main.ts', 'src/start.ts']))
  expect(r.circulars).toEqual([])
})

test('the check finds a cycle made of type imports only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycle-'))
  fs.writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b'\nexport interface A { b?: B }\n")
  fs.writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './a'\nexport interface B { a?: A }\n")
  expect(dpdm(dir, 'a.ts').circulars).toEqual([['a.ts', 'b.ts']])
})
