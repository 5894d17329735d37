/**
 * The write path implements the processor's Database interface and writes
 * the SDK's status table itself (./database.ts), so it depends on how these
 * packages behave, not only on their types. It runs only with the
 * versions it was tested with; any other refuses to start, naming both.
 */
import fs from 'node:fs'

export const TESTED_SDK_VERSIONS: Readonly<Record<string, string>> = {
  '@subsquid/typeorm-store': '1.5.1',
  '@subsquid/evm-processor': '1.27.3',
  // The processor's Runner, which calls the Database (connect, transact, transactHot2).
  '@subsquid/util-internal-processor-tools': '4.2.1',
}

export class SdkVersionError extends Error {
  constructor(mismatches: string[]) {
    super(`the indexer's write path was tested with other SDK versions: ${mismatches.join('; ')}. Install the tested versions (npm install), or test the write path with these before changing TESTED_SDK_VERSIONS in src/store/versions.ts`)
    this.name = 'SdkVersionError'
  }
}

export function installedVersion(pkg: string): string {
  const file = require.resolve(`${pkg}/package.json`)
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version
}

/** Throws SdkVersionError unless every package is at its tested version. */
export function checkSdkVersions(installed: (pkg: string) => string = installedVersion, tested = TESTED_SDK_VERSIONS): void {
  const bad: string[] = []
  for (const [pkg, want] of Object.entries(tested)) {
    const have = installed(pkg)
    if (have !== want) bad.push(`${pkg} is ${have} here, tested with ${want}`)
  }
  if (bad.length) throw new SdkVersionError(bad)
}
