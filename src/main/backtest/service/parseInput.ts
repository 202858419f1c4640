/** Checks a request against its zod schema, refusing it as VALIDATION_FAILED with the first few issues. */
import type { z } from 'zod';
import { KeelError } from '../../../shared/errors';

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || 'params'}: ${issue.message}`);
  throw new KeelError('VALIDATION_FAILED', `Invalid request: ${issues.join('; ')}`);
}
