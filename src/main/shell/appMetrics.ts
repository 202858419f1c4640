/**
 * Electron's view of its own processes, as the system monitor reads them:
 * the renderer (one per window), the GPU process and helpers. The browser
 * process is the main process, which the engine measures itself.
 */
import type { ProcessMetric } from 'electron';
import type { ProcessReading } from '../monitor/systemMonitor';

export function processReadings(metrics: readonly ProcessMetric[], mainPid: number): ProcessReading[] {
  const readings: ProcessReading[] = [];
  for (const m of metrics) {
    if (m.type === 'Browser' || m.pid === mainPid) continue;
    const kind = m.type === 'Tab' ? 'renderer' : m.type === 'GPU' ? 'gpu' : 'utility';
    const label = kind === 'renderer' ? 'Renderer' : kind === 'gpu' ? 'GPU' : (m.name ?? m.serviceName ?? m.type);
    readings.push({
      kind,
      label,
      pid: m.pid,
      cpuPercent: Number.isFinite(m.cpu.percentCPUUsage) ? Math.max(0, m.cpu.percentCPUUsage) : null,
      // Electron reports kilobytes.
      memoryBytes: Number.isFinite(m.memory.workingSetSize) ? m.memory.workingSetSize * 1024 : null,
    });
  }
  return readings;
}
