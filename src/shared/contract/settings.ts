/** The contract's `settings` and `hotkey` domains: the trader's preferences and whether the emergency hotkey is live. */
import { z } from 'zod';
import { hotkeyStatusSchema, settingsSchema } from '../risk';
import { empty, method } from './common';

export const settingsMethods = {
  'settings.get': method('query', empty, settingsSchema),
  'settings.set': method('command', z.object({ settings: settingsSchema.partial() }).strict(), settingsSchema),
  'hotkey.status': method('query', empty, hotkeyStatusSchema),
} as const;

export const settingsEvents = {
  'hotkey.status': hotkeyStatusSchema,
  'settings.updated': settingsSchema,
} as const;
