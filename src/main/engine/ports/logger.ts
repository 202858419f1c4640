/**
 * Where engine code writes what an operator or developer reads in the
 * process log (not the trader's activity feed). The composition root decides
 * where it goes; a backtest can keep it quiet.
 */
export interface Logger {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

/** Detail goes after the message only when there is some. */
function line(write: (...args: unknown[]) => void): (message: string, detail?: unknown) => void {
  return (message, detail) => (detail === undefined ? write(message) : write(message, detail));
}

export const consoleLogger: Logger = {
  info: line((...args) => console.info(...args)),
  warn: line((...args) => console.warn(...args)),
  error: line((...args) => console.error(...args)),
};

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
