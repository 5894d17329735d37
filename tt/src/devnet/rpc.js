"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RpcClient = exports.RpcError = void 0;
/**
 * A minimal JSON-RPC client for talking to an EVM node from devnet tooling
 * (deploy, genesis, simulator, verify). The indexer itself never uses this:
 * the processor fetches its own data.
 */
class RpcError extends Error {
    method;
    code;
    data;
    constructor(method, code, message, data) {
        super(`${method}: ${message} (code ${code})`);
        this.method = method;
        this.code = code;
        this.data = data;
    }
}
exports.RpcError = RpcError;
class RpcClient {
    url;
    nextId = 1;
    constructor(url) {
        this.url = url;
    }
    async call(method, params = []) {
        const [res] = await this.batch([{ method, params }]);
        return res;
    }
    /** Sends many calls in one HTTP request; results come back in call order. Throws on the first error. */
    async batch(calls) {
        if (calls.length === 0)
            return [];
        const body = calls.map((c) => ({ jsonrpc: '2.0', id: this.nextId++, method: c.method, params: c.params }));
        const res = await fetch(this.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
        });
        if (!res.ok)
            throw new Error(`RPC ${this.url} answered HTTP ${res.status}`);
        const json = (await res.json());
        const byId = new Map(json.map((r) => [r.id, r]));
        return body.map((b, i) => {
            const r = byId.get(b.id);
            if (!r)
                throw new Error(`RPC ${this.url} gave no answer to ${calls[i].method}`);
            if (r.error)
                throw new RpcError(calls[i].method, r.error.code, r.error.message, r.error.data);
            return r.result;
        });
    }
}
exports.RpcClient = RpcClient;
