"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const anvil_1 = require("./src/devnet/anvil");
async function main() {
    const a = await anvil_1.Anvil.start({ port: 18545, genesisTimestamp: 1767225600 });
    console.log('started', a.pid, await a.rpc.call('eth_chainId'), await a.rpc.call('eth_getBlockByNumber', ['latest', false]).then((b) => b.timestamp));
    await a.stop();
    console.log('stopped');
}
main();
