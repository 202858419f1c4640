/**
 * The alert centre wired to a running engine: the sink every part of Keel
 * raises through (kept, published, emailed as the settings say), the
 * engine's events that raise alerts, and the daily report on its schedule.
 * The composition root passes the store (the journal's tables), the
 * keychain and the analytics the report reads.
 */
import type { AlertSettingsView } from '../../shared/contract/alertCenter';
import { errorText } from '../../shared/errors';
import type { Engine } from '../engine/engine';
import type { Logger } from '../engine/ports/logger';
import type { SecretStore } from '../engine/ports/secretStore';
import { AlertCenter, type AlertCenterOptions } from './alertCenter';
import type { AlertStore } from './alertStore';
import { buildDailyReport, type DailyReportRange, type DailyReportSources } from './dailyReport';
import { DailyReportScheduler } from './dailyReportScheduler';
import { installAlertSources } from './installAlertSources';

export interface Alerts {
  center: AlertCenter;
  /** The settings as the contract answers them, with when the next report goes. */
  view(): Promise<AlertSettingsView>;
  /** Builds the report for a range and queues it (the scheduler's own path). */
  sendReport(range: DailyReportRange): Promise<void>;
  dispose(): void;
}

export interface InstallAlertsOptions {
  store: AlertStore;
  secrets: SecretStore;
  log: Logger;
  analytics: DailyReportSources['analytics'];
  strategyNames: DailyReportSources['strategyNames'];
  /** Timeouts, backoff and TLS trust for tests; the defaults suit a real mail server. */
  email?: Pick<AlertCenterOptions, 'smtpTimeouts' | 'smtpTls' | 'backoff' | 'maxAttempts' | 'sendTimeoutMs' | 'send'>;
  /** The redactor venues register their keys with: no alert carries one. */
  redact?: (text: string) => string;
  /** Stops the desktop shell tells by its own notice (see AlertSourceOptions). */
  emergencyShownByShell?: (trigger: string) => boolean;
}

export function installAlerts(engine: Engine, options: InstallAlertsOptions): Alerts {
  const center = new AlertCenter({
    store: options.store,
    secrets: options.secrets,
    clock: engine.clock,
    publish: (topic, payload) => engine.bus.publish(topic, payload),
    log: options.log,
    ...(options.redact ? { redact: options.redact } : {}),
    ...options.email,
  });
  const sources: DailyReportSources = {
    analytics: options.analytics,
    strategyNames: options.strategyNames,
    riskStatus: () => engine.riskStatus(),
    venues: () => engine.venueStatuses(),
    latestReconciliation: (venue) => engine.latestReconciliation(venue),
  };
  const sendReport = async (range: DailyReportRange): Promise<void> => {
    const report = await buildDailyReport(sources, range);
    center.email(report.email);
  };
  const scheduler = new DailyReportScheduler({ clock: engine.clock, log: options.log, settings: () => center.current().dailyReport, send: sendReport });
  const offSettings = center.onSettingsChanged(() => scheduler.reschedule());
  const offSources = installAlertSources(engine.bus, center, {
    lastStateChange: () => engine.risk.history(1)[0],
    ...(options.emergencyShownByShell ? { emergencyShownByShell: options.emergencyShownByShell } : {}),
  });
  try {
    scheduler.start();
  } catch (error) {
    options.log.error(`[report] the daily report could not be scheduled: ${errorText(error)}`);
  }
  return {
    center,
    view: () => center.view(scheduler.nextAt()),
    sendReport,
    dispose: () => {
      offSources();
      offSettings();
      scheduler.stop();
      center.close();
    },
  };
}
