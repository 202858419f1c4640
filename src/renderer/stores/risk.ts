/**
 * Risk slice: the trading state (ACTIVE / REDUCING / HALTED) with its
 * history, every venue's limit usage, the limits and profiles, the last
 * emergency-stop report and recent order denials. The state is global;
 * usage and limits are per venue. Every merge keeps the newer copy, so a
 * snapshot answered late never overwrites an event that arrived first.
 */
import type { EmergencyReport, OrderDenied, RiskConfig, RiskProfile, RiskStateView, RiskStatus, RiskUsage, StateChange } from '../../shared/risk';
import type { SliceCreator } from './store';

/** Denials kept for the activity log's fallback (see `activityWithDenials`). */
export const MAX_DENIALS = 200;

/** An order denial as the renderer keeps it: with a local sequence so list keys are stable. */
export interface DenialEntry extends OrderDenied {
  seq: number;
}

export interface RiskSlice {
  /** Null until risk.status has answered once: the UI says "unknown", never "ACTIVE", before that. */
  riskState: RiskStateView | null;
  riskHistory: StateChange[];
  /** Latest usage by venue. */
  riskUsage: Record<string, RiskUsage>;
  riskConfigs: Record<string, RiskConfig>;
  riskProfiles: RiskProfile[];
  /** The most recent emergency-stop report, and whether the trader has dismissed it. */
  lastReport: EmergencyReport | null;
  reportDismissed: boolean;
  /** True while an emergency.stop call from this window is in flight. */
  emergencyBusy: boolean;
  /** Why the last emergency.stop from this window failed; cleared by the next success or by the trader. */
  emergencyError: string | null;
  denials: DenialEntry[];
  denialSeq: number;
  setRiskStatus(status: RiskStatus): void;
  setRiskState(state: RiskStateView): void;
  setRiskConfig(config: RiskConfig): void;
  setRiskProfiles(list: RiskProfile[]): void;
  /** A report to show now: the answer to our own stop (`own`), or the emergency.report event. */
  showReport(report: EmergencyReport, own?: boolean): void;
  /** A report loaded at start-up: remembered, not popped up. */
  rememberReport(report: EmergencyReport): void;
  dismissReport(): void;
  reopenReport(): void;
  setEmergencyBusy(busy: boolean): void;
  setEmergencyError(error: string | null): void;
}

/** The newer of two state views (same instant: the incoming one, it was sent later). */
export function applyRiskState(current: RiskStateView | null, incoming: RiskStateView): RiskStateView | null {
  if (current && current.since > incoming.since) return current;
  if (current && current.since === incoming.since && current.state === incoming.state && current.reason === incoming.reason) {
    return current;
  }
  return incoming;
}

export function applyUsage(current: Record<string, RiskUsage>, incoming: readonly RiskUsage[]): Record<string, RiskUsage> {
  let next: Record<string, RiskUsage> | null = null;
  for (const u of incoming) {
    const prev = (next ?? current)[u.venue];
    if (prev && (prev === u || prev.updatedAt > u.updatedAt)) continue;
    next ??= { ...current };
    next[u.venue] = u;
  }
  return next ?? current;
}

/** Whether `incoming` should replace the report we hold (a different, later stop; or the same one, completed). */
export function isNewerReport(current: EmergencyReport | null, incoming: EmergencyReport): boolean {
  if (!current) return true;
  if (current.id === incoming.id) return incoming.finishedAt >= current.finishedAt && incoming !== current;
  return incoming.startedAt >= current.startedAt;
}

type ReportView = Pick<RiskSlice, 'lastReport' | 'reportDismissed'>;

/**
 * Folds a report into what is shown. Our own stop (`own`) always shows its
 * answer; a report event pops up unless it is one the trader already
 * dismissed (the event and our call's answer describe the same stop).
 */
export function foldReport(view: ReportView, report: EmergencyReport, own: boolean): ReportView {
  const same = view.lastReport?.id === report.id;
  const lastReport = isNewerReport(view.lastReport, report) ? report : view.lastReport;
  const reportDismissed = own ? false : same ? view.reportDismissed : lastReport === report ? false : view.reportDismissed;
  return { lastReport, reportDismissed };
}

export function appendDenials(
  current: DenialEntry[],
  seq: number,
  incoming: readonly OrderDenied[],
): { denials: DenialEntry[]; denialSeq: number } {
  if (incoming.length === 0) return { denials: current, denialSeq: seq };
  let next = seq;
  const added = incoming.map((d) => ({ ...d, seq: ++next }));
  const all = [...added.reverse(), ...current];
  return { denials: all.length > MAX_DENIALS ? all.slice(0, MAX_DENIALS) : all, denialSeq: next };
}

export const createRiskSlice: SliceCreator<RiskSlice> = (set) => ({
  riskState: null,
  riskHistory: [],
  riskUsage: {},
  riskConfigs: {},
  riskProfiles: [],
  lastReport: null,
  reportDismissed: true,
  emergencyBusy: false,
  emergencyError: null,
  denials: [],
  denialSeq: 0,
  setRiskStatus: (status) =>
    set((s) => {
      const { usage, history, ...view } = status;
      return {
        riskState: applyRiskState(s.riskState, view),
        riskUsage: applyUsage(s.riskUsage, usage),
        // The snapshot's history is authoritative: it is the journal's list.
        riskHistory: [...history].sort((a, b) => b.at - a.at),
      };
    }),
  setRiskState: (state) => set((s) => ({ riskState: applyRiskState(s.riskState, state) })),
  setRiskConfig: (config) => set((s) => ({ riskConfigs: { ...s.riskConfigs, [config.venue]: config } })),
  setRiskProfiles: (riskProfiles) => set({ riskProfiles }),
  showReport: (report, own = false) =>
    set((s) => {
      const next = foldReport(s, report, own);
      return next.lastReport === s.lastReport && next.reportDismissed === s.reportDismissed ? {} : next;
    }),
  rememberReport: (report) =>
    set((s) => (isNewerReport(s.lastReport, report) && s.lastReport?.id !== report.id ? { lastReport: report } : {})),
  dismissReport: () => set({ reportDismissed: true }),
  reopenReport: () => set((s) => (s.lastReport ? { reportDismissed: false } : {})),
  setEmergencyBusy: (emergencyBusy) => set({ emergencyBusy }),
  setEmergencyError: (emergencyError) => set({ emergencyError }),
});
