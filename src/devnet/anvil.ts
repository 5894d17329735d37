import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { childEnv } from '../config'
import { RpcClient } from '../runtime/rpc'

export interface AnvilOptions {
  port: number
  host?: string
  chainId?: number
  /** Unix seconds of the genesis block: fixed so the same seed gives the same chain. */
  genesisTimestamp: number
  /** Keep every historical state so eth_call works at any past block (needed by verify and tests). */
  preserveHistoricalStates?: boolean
  /** Keep no historical state (`--prune-history`): the node stands for a non-archive RPC. */
  pruneHistory?: boolean
  /** Lift anvil's 2 MB limit on a request body (anvil_loadState of a large history). */
  largeRequests?: boolean
  /** Called with each line anvil prints, for debugging. */
  onOutput?: (line: string) => void
}

/** Locates the anvil binary shipped inside the @foundry-rs/anvil-<platform> npm package. */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`
  let dir: string
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`))
  } catch {
    throw new Error(`anvil is not installed for ${process.platform}/${process.arch} (npm package ${pkg} is missing)`)
  }
  const bin = path.join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil')
  if (!fs.existsSync(bin)) throw new Error(`anvil binary not found at ${bin}`)
  return bin
}

/**
 * A running anvil process. It is started behind a tiny shell watchdog that
 * kills anvil when our stdin closes, so a parent that dies (even by SIGKILL)
 * leaves no orphan node behind.
 */
export class Anvil {
  readonly rpc: RpcClient
  private exited = false
  /** Anvil's own HOME (its state files), removed when it stops. */
  private home?: string
  private exitPromise: Promise<void>

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly options: AnvilOptions,
  ) {
    this.rpc = new RpcClient(url)
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', () => {
        this.exited = true
        resolve()
      })
    })
  }

  static async start(options: AnvilOptions): Promise<Anvil> {
    const host = options.host ?? '127.0.0.1'
    const args = [
      '--host', host,
      '--port', String(options.port),
      '--chain-id', String(options.chainId ?? 31337),
      '--timestamp', String(options.genesisTimestamp),
      // Blocks are mined only when the simulator says so, with the timestamp it sets.
      '--no-mining',
      // Transactions land in blocks in the order they were sent: deterministic.
      '--order', 'fifo',
      // Any address may send (simulated holders have no keys); gas costs nothing.
      '--auto-impersonate',
      '--block-base-fee-per-gas', '0',
      '--gas-price', '0',
      '--disable-min-priority-fee',
      '--disable-pool-balance-checks',
      // Many events per transaction need large blocks.
      '--gas-limit', '3000000000',
      '--hardfork', 'prague',
      '--accounts', '2',
      '--silent',
    ]
    if (options.preserveHistoricalStates) args.push('--preserve-historical-states')
    if (options.largeRequests) args.push('--no-request-size-limit')
    if (options.pruneHistory) args.push('--prune-history')
    const bin = anvilBinary()
    // The watchdog: anvil runs in the background; when our end of stdin closes
    // (we exited or were killed), `read` returns and anvil is killed.
    // (A background job's stdin is /dev/null unless redirected, hence fd 3.)
    // Anvil keeps historical states under $HOME/.foundry/anvil/tmp and leaves
    // them behind when it is killed (gigabytes per long devnet): each anvil gets
    // a HOME of its own, removed by the watchdog when anvil ends, however it ends.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-anvil-'))
    const script = `exec 3<&0; "$0" "$@" & pid=$!; cleanup() { wait $pid; rm -rf "$HOME"; }; trap 'kill $pid 2>/dev/null; cleanup; exit 0' TERM INT; (while read -r _ <&3; do :; done; kill $pid 2>/dev/null) & wait $pid; cleanup`
    // In a process group of its own: a terminal's Ctrl-C (SIGINT to our group)
    // does not kill it under us, so `npm start` can still save the devnet.
    const child = spawn('/bin/sh', ['-c', script, bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: childEnv({ HOME: home }), detached: true })
    const url = `http://${host}:${options.port}`
    const anvil = new Anvil(child, url, options)
    anvil.home = home
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString()
      options.onOutput?.(d.toString())
    })
    child.stdout!.on('data', (d: Buffer) => options.onOutput?.(d.toString()))
    const deadline = Date.now() + 20_000
    for (;;) {
      if (anvil.exited) throw new Error(`anvil exited at start: ${stderr.trim() || 'no output'}`)
      try {
        await anvil.rpc.call('eth_chainId')
        return anvil
      } catch {
        if (Date.now() > deadline) {
          await anvil.stop()
          throw new Error(`anvil did not answer on ${url} within 20 s`)
        }
        await new Promise((r) => setTimeout(r, 50))
      }
    }
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  async stop(): Promise<void> {
    if (this.exited) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await this.exitPromise
    clearTimeout(timer)
    if (this.home) fs.rmSync(this.home, { recursive: true, force: true })
  }
}
