/**
 * Thresholds with hysteresis: a reading over its bound raises one alert;
 * the same bound raises again only after the reading has come back under a
 * margin below it (so a value hovering at the line does not flood the
 * trader). Every check that is currently out of bounds is listed, for the
 * Monitor view to highlight.
 */
import type { AlertSink } from '../alerts/alertSink';
import type { Breach, MonitorMetric, MonitorThresholds } from '../../shared/contract/monitor';

export const DEFAULT_THRESHOLDS: MonitorThresholds = {
  eventLoopDelayP99Ms: 200,
  memoryRssBytes: 2 * 1024 ** 3,
  journalWriteP99Ms: 50,
  venueMessageAgeMs: 60_000,
  venueErrorRate: 0.25,
  emailFailingAttempts: 3,
};

/** A breach clears once the reading is at or below this share of its bound. */
export const CLEAR_RATIO = 0.8;

/** One reading against its bound. */
export interface Check {
  metric: MonitorMetric;
  subject: string | null;
  /** What the trader reads: "Event-loop delay p99", "binance: last message age". */
  label: string;
  value: number;
  threshold: number;
  /** How the numbers read in an alert ("250 ms"). */
  format(value: number): string;
  /** Reaching the bound counts as crossing it (a count of failures); otherwise only going past it. */
  inclusive?: boolean;
  venue?: string;
}

export function checkKey(check: Pick<Check, 'metric' | 'subject'>): string {
  return check.subject === null ? check.metric : `${check.metric}:${check.subject}`;
}

export class ThresholdWatch {
  private readonly open = new Map<string, Breach>();

  constructor(private readonly alerts: AlertSink | undefined) {}

  /**
   * Applies one sample's checks and answers what is out of bounds. A check
   * missing from the sample (a venue removed, a figure not measured) leaves
   * its breach as it was: silence is not recovery.
   */
  evaluate(checks: readonly Check[], now: number): Breach[] {
    for (const check of checks) {
      const key = checkKey(check);
      const held = this.open.get(key);
      if (held) {
        if (check.value <= check.threshold * CLEAR_RATIO) this.open.delete(key);
        else this.open.set(key, { ...held, value: check.value, threshold: check.threshold, label: check.label });
        continue;
      }
      const crossed = check.inclusive ? check.value >= check.threshold : check.value > check.threshold;
      if (!crossed) continue;
      this.open.set(key, { key, metric: check.metric, subject: check.subject, label: check.label, value: check.value, threshold: check.threshold, since: now });
      this.alerts?.raise({
        kind: 'system',
        severity: 'warning',
        title: `${check.label} is ${check.format(check.value)}`,
        body: `${check.label} crossed its threshold of ${check.format(check.threshold)} (now ${check.format(check.value)}). See the Monitor view for its last hour.`,
        ...(check.venue === undefined ? {} : { venue: check.venue }),
        subjectId: key,
      });
    }
    return this.breaches();
  }

  /** Forgets the breaches of a subject that is gone (a venue removed), so it raises afresh if it comes back in trouble. */
  forget(keep: (breach: Breach) => boolean): void {
    for (const [key, breach] of this.open) if (!keep(breach)) this.open.delete(key);
  }

  breaches(): Breach[] {
    return [...this.open.values()];
  }
}
