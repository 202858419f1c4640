/** The contract's `emergency` domain: the stop, the re-arm, and their reports. */
import { z } from 'zod';
import { emergencyReportSchema, riskStateSchema } from '../risk';
import { method } from './common';

export const emergencyMethods = {
  'emergency.stop': method(
    'urgent',
    z.object({ flatten: z.boolean(), trigger: z.enum(['button', 'window-hotkey']).optional() }).strict(),
    emergencyReportSchema,
  ),
  // Urgent, so it can never run after a stop pressed later (a queued re-arm would undo that stop).
  'emergency.rearm': method('urgent', z.object({ confirm: z.literal(true) }).strict(), riskStateSchema),
  'emergency.reports': method(
    'query',
    z.object({ limit: z.number().int().min(1).max(100).optional() }).strict(),
    z.array(emergencyReportSchema),
  ),
} as const;

export const emergencyEvents = {
  'emergency.report': emergencyReportSchema,
} as const;
