/**
 * The one door through which any part of Keel raises an alert for the
 * trader (the notification centre, desktop notices, sounds and email all
 * read from what comes through it). Raising never blocks and never throws:
 * delivery is queued behind it, so a slow mail server cannot delay trading.
 */
import type { ALERT_SEVERITIES, AlertKindName } from '../../shared/contract/alertCenter';

/** What an alert is about and how loud it is: the contract's lists, so the engine and the screen name the same kinds. */
export type AlertKind = AlertKindName;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface AlertInput {
  kind: AlertKind;
  severity: AlertSeverity;
  /** One line, shown as the notice's title and the email's subject. */
  title: string;
  /** The detail in words: what happened, where, and what the trader may want to do. */
  body: string;
  venue?: string;
  symbol?: string;
  /** What the alert is about (an order id, a strategy instance id, a card id...), for linking on screen. */
  subjectId?: string;
  /** A desktop notice of it was shown already (the desktop shell's own, for a stop it fired): the alert shows no second one. */
  desktopShown?: boolean;
}

export interface AlertSink {
  raise(alert: AlertInput): void;
}

/** How outgoing email is faring, for the system monitor. */
export interface AlertDeliveryStatus {
  /** Messages waiting to be sent (including ones waiting for a retry). */
  queued: number;
  /** Consecutive failed attempts of the message at the head of the queue (0 when the last send worked). */
  failingAttempts: number;
  lastError: string | null;
  lastSentAt: number | null;
  lastFailedAt: number | null;
}
