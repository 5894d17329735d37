"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.Anvil = void 0;
exports.anvilBinary = anvilBinary;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const rpc_1 = require("./rpc");
/** Locates the anvil binary shipped inside the @foundry-rs/anvil-<platform> npm package. */
function anvilBinary() {
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
    let dir;
    try {
        dir = node_path_1.default.dirname(require.resolve(`${pkg}/package.json`));
    }
    catch {
        throw new Error(`anvil is not installed for ${process.platform}/${process.arch} (npm package ${pkg} is missing)`);
    }
    const bin = node_path_1.default.join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
    if (!node_fs_1.default.existsSync(bin))
        throw new Error(`anvil binary not found at ${bin}`);
    return bin;
}
/**
 * A running anvil process. It is started behind a tiny shell watchdog that
 * kills anvil when our stdin closes, so a parent that dies (even by SIGKILL)
 * leaves no orphan node behind.
 */
class Anvil {
    child;
    url;
    options;
    rpc;
    exited = false;
    exitPromise;
    constructor(child, url, options) {
        this.child = child;
        this.url = url;
        this.options = options;
        this.rpc = new rpc_1.RpcClient(url);
        this.exitPromise = new Promise((resolve) => {
            child.once('exit', () => {
                this.exited = true;
                resolve();
            });
        });
    }
    static async start(options) {
        const host = options.host ?? '127.0.0.1';
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
        ];
        if (options.preserveHistoricalStates)
            args.push('--preserve-historical-states');
        const bin = anvilBinary();
        // The watchdog: anvil runs in the background; when our end of stdin closes
        // (we exited or were killed), `read` returns and anvil is killed.
        // (A background job's stdin is /dev/null unless redirected, hence fd 3.)
        const script = `exec 3<&0; "$0" "$@" & pid=$!; trap 'kill $pid 2>/dev/null; wait $pid; exit 0' TERM INT; (while read -r _ <&3; do :; done; kill $pid 2>/dev/null) & wait $pid`;
        const child = (0, node_child_process_1.spawn)('/bin/sh', ['-c', script, bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
        const url = `http://${host}:${options.port}`;
        const anvil = new Anvil(child, url, options);
        let stderr = '';
        child.stderr.on('data', (d) => {
            stderr += d.toString();
            options.onOutput?.(d.toString());
        });
        child.stdout.on('data', (d) => options.onOutput?.(d.toString()));
        const deadline = Date.now() + 20_000;
        for (;;) {
            if (anvil.exited)
                throw new Error(`anvil exited at start: ${stderr.trim() || 'no output'}`);
            try {
                await anvil.rpc.call('eth_chainId');
                return anvil;
            }
            catch {
                if (Date.now() > deadline) {
                    await anvil.stop();
                    throw new Error(`anvil did not answer on ${url} within 20 s`);
                }
                await new Promise((r) => setTimeout(r, 50));
            }
        }
    }
    get pid() {
        return this.child.pid;
    }
    async stop() {
        if (this.exited)
            return;
        this.child.kill('SIGTERM');
        const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
        await this.exitPromise;
        clearTimeout(timer);
    }
}
exports.Anvil = Anvil;
