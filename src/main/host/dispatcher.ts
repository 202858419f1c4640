/**
 * The one dispatch every transport shares: validate params against the
 * contract, run the handler, answer a result or a typed error. Commands
 * (state-changing methods) run one at a time in arrival order; queries run
 * at once. Nothing thrown inside ever crosses the boundary untyped.
 */
import { ZodError } from 'zod';
import type { EventTopic, InvokeOutcome, MethodName } from '../../shared/contract';
import { isMethodName, methods } from '../../shared/contract';
import { KeelError } from '../../shared/errors';
import type { EventBus } from '../engine/bus';
import type { ContractServer, EventListener } from './contractServer';
import type { Handlers } from './handlers';

export interface DispatcherOptions {
  /** Parse every result against its schema too (tests): a drifting result becomes an INTERNAL error. */
  checkResults?: boolean;
  log?: (message: string, error: unknown) => void;
}

export class Dispatcher implements ContractServer {
  private commandQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly handlers: Handlers,
    private readonly bus: EventBus,
    private readonly options: DispatcherOptions = {},
  ) {}

  async invoke(method: string, params: unknown): Promise<InvokeOutcome> {
    if (!isMethodName(method)) {
      return failure(new KeelError('UNKNOWN_METHOD', `Unknown method "${method}".`));
    }
    const spec = methods[method];
    const parsed = spec.params.safeParse(params ?? {});
    if (!parsed.success) return failure(validationError(parsed.error));
    const run = () => this.run(method, parsed.data);
    return spec.kind === 'command' ? this.serialize(run) : run();
  }

  /** Resolves once every command queued so far has finished (for an orderly shutdown). */
  async drain(): Promise<void> {
    await this.commandQueue;
  }

  onEvent(listener: EventListener): () => void {
    return this.bus.subscribe((topic: EventTopic, payload: unknown) => listener(topic, payload));
  }

  private async run(method: MethodName, params: unknown): Promise<InvokeOutcome> {
    try {
      const handler = this.handlers[method] as (p: unknown) => unknown;
      const result = await handler(params);
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

  private serialize(run: () => Promise<InvokeOutcome>): Promise<InvokeOutcome> {
    const next = this.commandQueue.then(run, run);
    this.commandQueue = next.catch(() => undefined);
    return next;
  }
}

function failure(error: KeelError): InvokeOutcome {
  return { ok: false, error: error.toShape() };
}

export function validationError(error: ZodError): KeelError {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const text = issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
  return new KeelError('VALIDATION_FAILED', `Invalid request: ${text}.`, { issues });
}
