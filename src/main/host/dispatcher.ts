/**
 * The one dispatch every transport shares: validate params against the
 * contract, run the handler, answer a result or a typed error. Commands
 * (state-changing methods) go into the engine's command queue, urgent ones
 * into its urgent lane; queries run at once. Nothing thrown inside ever
 * crosses the boundary untyped.
 */
import { ZodError } from 'zod';
import type { EventTopic, InvokeOutcome, MethodName } from '../../shared/contract';
import { isMethodName, methods } from '../../shared/contract';
import { KeelError, shorten } from '../../shared/errors';
import type { EventBus } from '../engine/bus';
import { CommandQueue } from '../engine/commandQueue';
import { UI_CALLER, type Caller, type ContractServer, type EventListener } from './contractServer';
import type { Handlers } from './handlers';
import { budgetFor, checkParamsBudget } from './paramsBudget';

export interface DispatcherOptions {
  /** Parse every result against its schema too (tests): a drifting result becomes an INTERNAL error. */
  checkResults?: boolean;
  log?: (message: string, error: unknown) => void;
  /** The engine's command queue: commands from every caller share it. Defaults to a queue of the dispatcher's own (tests). */
  commands?: CommandQueue;
}

export class Dispatcher implements ContractServer {
  private readonly commands: CommandQueue;

  constructor(
    private readonly handlers: Handlers,
    private readonly bus: EventBus,
    private readonly options: DispatcherOptions = {},
  ) {
    this.commands = options.commands ?? new CommandQueue();
  }

  async invoke(method: string, params: unknown, caller: Caller = UI_CALLER): Promise<InvokeOutcome> {
    if (!isMethodName(method)) {
      return failure(new KeelError('UNKNOWN_METHOD', `Unknown method "${shorten(method, 64)}".`));
    }
    // A cheap walk with a budget first: a huge or deeply nested request is refused before the schema spends time on it.
    const oversized = checkParamsBudget(params, budgetFor(method));
    if (oversized) return failure(new KeelError('VALIDATION_FAILED', `Invalid request: ${oversized}.`));
    const spec = methods[method];
    const parsed = spec.params.safeParse(params ?? {});
    if (!parsed.success) return failure(validationError(parsed.error));
    const run = () => this.run(method, parsed.data, caller);
    if (spec.kind === 'command') return this.commands.run(run);
    if (spec.kind === 'urgent') return this.commands.urgent(run);
    return run();
  }

  /** Resolves once every command queued so far has finished (for an orderly shutdown). */
  async drain(): Promise<void> {
    await this.commands.drained();
  }

  onEvent(listener: EventListener): () => void {
    return this.bus.subscribe((topic: EventTopic, payload: unknown) => listener(topic, payload));
  }

  private async run(method: MethodName, params: unknown, caller: Caller): Promise<InvokeOutcome> {
    try {
      const handler = this.handlers[method] as (p: unknown, c: Caller) => unknown;
      const result = await handler(params, caller);
      if (this.options.checkResults) methods[method].result.parse(result);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof KeelError) return failure(error);
      if (error instanceof ZodError) {
        (this.options.log ?? console.error)(`[dispatch] ${method} produced a result outside the contract`, error);
        return failure(new KeelError('INTERNAL', `${method} produced an invalid result.`));
      }
      (this.options.log ?? console.error)(`[dispatch] ${method} failed`, error);
      return failure(new KeelError('INTERNAL', `${method} failed unexpectedly; the error was logged.`));
    }
  }

}

function failure(error: KeelError): InvokeOutcome {
  return { ok: false, error: error.toShape() };
}

/** A refusal names at most this many issues, so its size never grows with the request's. */
export const MAX_REPORTED_ISSUES = 5;
const MAX_ISSUE_TEXT = 160;

export function validationError(error: ZodError): KeelError {
  const issues = error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    path: shorten(issue.path.map(String).join('.'), 64),
    message: shorten(issue.message, MAX_ISSUE_TEXT),
  }));
  const more = error.issues.length - issues.length;
  const text = issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
  const tail = more > 0 ? ` (and ${more} more issue${more === 1 ? '' : 's'})` : '';
  return new KeelError('VALIDATION_FAILED', `Invalid request: ${text}${tail}.`, { issues, ...(more > 0 ? { moreIssues: more } : {}) });
}

