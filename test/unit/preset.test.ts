import { ConfigError, validatePreset } from '../../src/config/preset'

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
