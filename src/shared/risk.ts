/**
 * Risk, trading state and emergency-stop types that cross the contract.
 * Limits are per venue account with optional per-instrument overrides; a
 * null limit is off. Amounts are decimal strings like everything else.
 */
import { z } from 'zod';
import { decimalString, orderSide, orderSource, orderType, symbol, timestampMs, venueId } from './domain';
import { ERROR_CODES } from './errors';
import { Dec } from './decimal';

export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export const tradingState = z.enum(TRADING_STATES);
export type TradingState = z.infer<typeof tradingState>;

const positiveAmount = decimalString.refine((s) => Dec.isValid(s) && Dec.parse(s).isPositive(), {
  message: 'must be greater than zero',
});
const percent = decimalString.refine((s) => Dec.isValid(s) && Dec.parse(s).isPositive() && Dec.parse(s).lte(Dec.parse('100')), {
  message: 'must be a percentage above 0 and at most 100',
});
const count = z.number().int().positive().max(1_000_000);

/** More instruments than any venue lists; bounds what one request can make the engine store. */
export const MAX_INSTRUMENT_OVERRIDES = 1_000;

export const accountLimitsSchema = z
  .object({
    /** Largest order value, in the settlement currency. */
    maxOrderNotional: positiveAmount.nullable(),
    /** Largest position value per instrument after the order fills. */
    maxPositionNotional: positiveAmount.nullable(),
    maxOpenOrders: count.nullable(),
    maxOrdersPerSecond: count.nullable(),
    maxOrdersPerMinute: count.nullable(),
    /** A limit or stop price further than this from the mark is refused unless overridden. */
    priceBandPercent: percent.nullable(),
    /** Loss since the daily reset, as a share of equity at the reset. */
    dailyLossPercent: percent.nullable(),
    /** Loss since the daily reset, in the settlement currency. */
    dailyLossAmount: positiveAmount.nullable(),
    /** Fall from the equity high-water mark. */
    maxDrawdownPercent: percent.nullable(),
  })
  .strict();
export type AccountLimits = z.infer<typeof accountLimitsSchema>;

/** Every account limit off: the base profiles and forms start from. */
export const NO_ACCOUNT_LIMITS: AccountLimits = {
  maxOrderNotional: null,
  maxPositionNotional: null,
  maxOpenOrders: null,
  maxOrdersPerSecond: null,
  maxOrdersPerMinute: null,
  priceBandPercent: null,
  dailyLossPercent: null,
  dailyLossAmount: null,
  maxDrawdownPercent: null,
};

export const instrumentLimitsSchema = z
  .object({
    maxOrderQuantity: positiveAmount.nullable(),
    maxOrderNotional: positiveAmount.nullable(),
    maxPositionNotional: positiveAmount.nullable(),
    priceBandPercent: percent.nullable(),
  })
  .strict();
export type InstrumentLimits = z.infer<typeof instrumentLimitsSchema>;

export const BREACH_ACTIONS = ['REDUCING', 'HALTED', 'HALTED_FLATTEN'] as const;
export const breachAction = z.enum(BREACH_ACTIONS);
export type BreachAction = z.infer<typeof breachAction>;

export const dailyResetSchema = z
  .object({
    /** Local time of day the daily loss counter restarts, "HH:MM". */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as "00:00" or "17:30"'),
    /** IANA time zone such as "UTC" or "America/New_York". */
    timeZone: z.string().max(64, { abort: true }).refine(isTimeZone, { message: 'must be an IANA time zone such as "UTC" or "Europe/London"' }),
  })
  .strict();
export type DailyReset = z.infer<typeof dailyResetSchema>;

export const riskConfigSchema = z
  .object({
    venue: venueId,
    /** The profile the limits started from; edits keep the name with "(edited)" shown by the UI. */
    profile: z.string().max(64),
    account: accountLimitsSchema,
    instruments: z
      .record(symbol, instrumentLimitsSchema)
      .refine((o) => Object.keys(o).length <= MAX_INSTRUMENT_OVERRIDES, {
        message: `must list at most ${MAX_INSTRUMENT_OVERRIDES} instruments`,
      }),
    breachAction,
    dailyReset: dailyResetSchema,
  })
  .strict();
export type RiskConfig = z.infer<typeof riskConfigSchema>;

export const riskProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  account: accountLimitsSchema,
  breachAction,
});
export type RiskProfile = z.infer<typeof riskProfileSchema>;

export const usageEntrySchema = z.object({
  /** Which limit: a key of AccountLimits or InstrumentLimits. */
  limit: z.string(),
  label: z.string(),
  symbol: symbol.nullable(),
  used: decimalString,
  max: decimalString,
  /** used / max, 0..1+ (above 1 means breached). */
  ratio: z.number(),
  unit: z.string(),
});
export type UsageEntry = z.infer<typeof usageEntrySchema>;

export const riskUsageSchema = z.object({
  venue: venueId,
  equity: decimalString,
  dayStartEquity: decimalString,
  dayStartedAt: timestampMs,
  highWaterMark: decimalString,
  entries: z.array(usageEntrySchema),
  updatedAt: timestampMs,
});
export type RiskUsage = z.infer<typeof riskUsageSchema>;

export const stateChangeSchema = z.object({
  from: tradingState,
  to: tradingState,
  reason: z.string(),
  source: z.enum(['manual', 'limit', 'emergency', 'rearm', 'startup']),
  at: timestampMs,
});
export type StateChange = z.infer<typeof stateChangeSchema>;

export const riskStateSchema = z.object({
  state: tradingState,
  reason: z.string().nullable(),
  since: timestampMs,
});
export type RiskStateView = z.infer<typeof riskStateSchema>;

export const riskStatusSchema = riskStateSchema.extend({
  usage: z.array(riskUsageSchema),
  history: z.array(stateChangeSchema),
});
export type RiskStatus = z.infer<typeof riskStatusSchema>;

export const DENIAL_CODES = ['RISK_REJECTED', 'HALTED', 'REDUCING_ONLY'] as const;
/** An order the risk stage refused, sent back to whoever sent it (`source`, `sourceId`) and to the blotters. */
export const orderDeniedSchema = z.object({
  venue: venueId,
  symbol,
  side: orderSide,
  type: orderType,
  quantity: decimalString,
  price: decimalString.nullable(),
  source: orderSource,
  /** A strategy's id or an API client's name. */
  sourceId: z.string().nullable(),
  /** The named check that refused it (trading-state, order-rate, price-band, order-limits, margin, ...). */
  check: z.string(),
  code: z.enum(ERROR_CODES),
  /** Which limit refused it, when a limit did. */
  limit: z.string().nullable(),
  message: z.string(),
  timestamp: timestampMs,
});
export type OrderDenied = z.infer<typeof orderDeniedSchema>;

export const unconfirmedSchema = z.object({
  kind: z.enum(['cancel', 'close']),
  venue: venueId,
  /** Order id for a cancel, symbol for a close. */
  target: z.string(),
  reason: z.string(),
});

export const emergencyReportSchema = z.object({
  id: z.string(),
  trigger: z.string(),
  flatten: z.boolean(),
  startedAt: timestampMs,
  haltedAt: timestampMs,
  cancelsConfirmedAt: timestampMs.nullable(),
  flatAt: timestampMs.nullable(),
  finishedAt: timestampMs,
  ordersCanceled: z.number().int(),
  positionsClosed: z.number().int(),
  unconfirmed: z.array(unconfirmedSchema),
  /** True when nothing is left unconfirmed. */
  complete: z.boolean(),
});
export type EmergencyReport = z.infer<typeof emergencyReportSchema>;

export const settingsSchema = z
  .object({
    /** Electron accelerator for the global emergency stop, e.g. "CommandOrControl+Shift+X". */
    emergencyHotkey: z.string().max(64),
    /** What the hotkey, menu and tray do: cancel only, or cancel and flatten. */
    emergencyFlattenByDefault: z.boolean(),
    /** Activity entries older than this many days are pruned. */
    activityRetentionDays: z.number().int().min(1).max(3650),
    /** Only the newest this many activity entries are kept. */
    activityRetentionRows: z.number().int().min(1_000).max(50_000_000),
    /**
     * A perpetual position's margin ratio (maintenance / margin balance, in
     * percent) at which the trader is warned before the venue liquidates at
     * 100 %. Absent in settings saved before it existed: the default applies.
     */
    marginWarningPercent: z.number().int().min(50).max(99).optional(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export const hotkeyStatusSchema = z.object({
  accelerator: z.string(),
  registered: z.boolean(),
  /** Where the hotkey lives: the OS (desktop) or only inside the window (headless/browser). */
  scope: z.enum(['global', 'window']),
  reason: z.string().nullable(),
});
export type HotkeyStatus = z.infer<typeof hotkeyStatusSchema>;

export const DEFAULT_SETTINGS: Settings = {
  emergencyHotkey: 'CommandOrControl+Shift+X',
  emergencyFlattenByDefault: false,
  activityRetentionDays: 90,
  activityRetentionRows: 1_000_000,
  marginWarningPercent: 80,
};

/** The margin-ratio warning level in force, in percent. */
export function marginWarningPercent(settings: Settings): number {
  return settings.marginWarningPercent ?? DEFAULT_SETTINGS.marginWarningPercent ?? 80;
}

/** Whether Intl knows `zone` as an IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
