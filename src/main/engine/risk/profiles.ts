/**
 * Built-in risk profiles a trader starts from and then adjusts. Numbers are
 * for a 10,000 USDT paper account; they are a starting point, not advice.
 */
import { NO_ACCOUNT_LIMITS, type RiskConfig, type RiskProfile } from '../../../shared/risk';


export const RISK_PROFILES: readonly RiskProfile[] = [
  {
    id: 'standard',
    name: 'Standard',
    description: 'Guards against fat fingers and runaway loops; no loss limits.',
    account: { ...NO_ACCOUNT_LIMITS, maxOrderNotional: '250000', maxOpenOrders: 200, maxOrdersPerSecond: 20, maxOrdersPerMinute: 600, priceBandPercent: '10' },
    breachAction: 'REDUCING',
  },
  {
    id: 'conservative',
    name: 'Conservative',
    description: 'Small orders and positions, tight price band, 2% daily loss and 5% drawdown stop new risk.',
    account: {
      maxOrderNotional: '2000',
      maxPositionNotional: '5000',
      maxOpenOrders: 20,
      maxOrdersPerSecond: 2,
      maxOrdersPerMinute: 30,
      priceBandPercent: '2',
      dailyLossPercent: '2',
      dailyLossAmount: null,
      maxDrawdownPercent: '5',
    },
    breachAction: 'REDUCING',
  },
  {
    id: 'prop-firm',
    name: 'Prop firm',
    description: 'Evaluation-style rules: 5% daily loss and 10% trailing drawdown halt trading and flatten.',
    account: {
      maxOrderNotional: '50000',
      maxPositionNotional: '100000',
      maxOpenOrders: 50,
      maxOrdersPerSecond: 5,
      maxOrdersPerMinute: 120,
      priceBandPercent: '5',
      dailyLossPercent: '5',
      dailyLossAmount: null,
      maxDrawdownPercent: '10',
    },
    breachAction: 'HALTED_FLATTEN',
  },
];

export function defaultRiskConfig(venue: string): RiskConfig {
  const standard = RISK_PROFILES[0]!;
  return {
    venue,
    profile: standard.name,
    account: { ...standard.account },
    instruments: {},
    breachAction: standard.breachAction,
    dailyReset: { time: '00:00', timeZone: 'UTC' },
  };
}
