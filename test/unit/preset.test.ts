import { chainPreset, ConfigError, loadMultiChainPreset, loadPreset, validateMultiChainPreset, validatePreset } from '../../src/config/preset'

const TOKEN = '0x5fbdb2315678afecb367f032d93f642f64180aa3'

describe('network presets', () => {
  test('a preset file written before the newer keys loads with their defaults', () => {
    const p = validatePreset({ name: 'old', chainId: 8453, contracts: { token: TOKEN } }, 'old.json')
    expect(p).toEqual({
      name: 'old',
      chainId: 8453,
      note: undefined,
      contracts: { token: TOKEN, vesting: undefined, staking: undefined, market: undefined, slaOracle: undefined },
      startBlock: null,
      eraOrigin: 0,
      finalityConfirmations: 10,
      labels: [],
      sla: { quorum: 2, minUptimeBps: 9900, maxLatencyMs: 200, minChallengePassBps: 9900, suspectUptimeDeviationBps: 100, suspectLatencyDeviationMs: 50 },
    })
  })

  test('a wrong value names its key and the file', () => {
    expect(() => validatePreset({ name: 'x', chainId: 1, contracts: { token: TOKEN }, finalityConfirmations: 0 }, 'x.json')).toThrow(new ConfigError('preset x.json: "finalityConfirmations" must be an integer ≥ 1'))
  })
})

describe('multi-chain presets', () => {
  const L2TOKEN = '0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6'
  const BRIDGE = '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'
  const network = () => ({
    name: 'two',
    eraOrigin: 1767225600,
    maxBridgeDelay: 86400,
    bridge: { l1Chain: 'ethereum', l1Bridge: BRIDGE, l2Chain: 'base' },
    chains: [
      { name: 'ethereum', chainId: 1, contracts: { token: TOKEN }, startBlock: 5 },
      { name: 'base', chainId: 8453, contracts: { token: L2TOKEN }, startBlock: 7, finalityConfirmations: 1 },
    ],
  })

  test('each chain reads as the single-chain preset the indexer takes, with the network shared', () => {
    const n = validateMultiChainPreset(network(), 'two.json')
    expect(n.bridge).toEqual({ l1Chain: 'ethereum', l1Bridge: BRIDGE, l2Chain: 'base' })
    const base = chainPreset(n, 'base')
    expect(base).toEqual(validatePreset({ ...network().chains[1], eraOrigin: 1767225600 }, 'x'))
    expect(() => chainPreset(n, 'optimism')).toThrow('network two has no chain "optimism" (it has: ethereum, base)')
  })

  test('a wrong value names its key and the file', () => {
    const bad = (f: (o: ReturnType<typeof network>) => unknown) => {
      const o = network()
      f(o)
      return () => validateMultiChainPreset(o, 'two.json')
    }
    expect(bad((o) => (o.bridge.l2Chain = 'optimism'))).toThrow(new ConfigError('preset two.json: "bridge.l2Chain" must name one of the chains (ethereum, base)'))
    expect(bad((o) => (o.chains[1].chainId = 1))).toThrow(new ConfigError('preset two.json: "chains[1].chainId" repeats 1'))
    expect(bad((o) => ((o.chains[0] as Record<string, unknown>).eraOrigin = 0))).toThrow(new ConfigError('preset two.json: "chains[0].eraOrigin" belongs to the network, not to one chain'))
    expect(bad((o) => (o.chains[1].contracts.token = 'nope'))).toThrow(new ConfigError('preset two.json chains[1]: "contracts.token" must be a 0x-prefixed 20-byte hex address'))
    expect(bad((o) => ((o as Record<string, unknown>).maxBridgeDelay = 0))).toThrow(new ConfigError('preset two.json: "maxBridgeDelay" must be an integer ≥ 1 (seconds)'))
    expect(bad((o) => o.chains.pop())).toThrow(new ConfigError('preset two.json: "chains" must list at least two chains'))
  })

  test('the Ethereum + Base preset is the single-chain presets of both chains, with the bridge between them', () => {
    const n = loadMultiChainPreset('ethereum-base')
    expect(n.bridge.l1Chain).toBe('ethereum')
    for (const chain of ['ethereum', 'base']) {
      const single = loadPreset(chain)
      const c = chainPreset(n, chain)
      expect([c.chainId, c.contracts.token, c.finalityConfirmations]).toEqual([single.chainId, single.contracts.token, single.finalityConfirmations])
    }
    expect(() => loadPreset('ethereum-base')).toThrow(/lists chains: it is a multi-chain network/)
  })
})
