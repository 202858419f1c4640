/**
 * The Monitor view: whether the machine running Keel is healthy. A status
 * line on top (every threshold crossed, spelled out), then one tile per part:
 * processes, the main thread's event loop, its memory, worker pools, the
 * journal, connections, each venue, email delivery and the last jobs, each
 * with small charts of its last hour. A figure over its threshold, and its
 * tile, are marked in red.
 */
import type { ReactNode } from 'react';
import type { Breach, MonitorSample, MonitorThresholds, SystemMetrics, VenueMetrics } from '../../../shared/contract/monitor';
import type { BacktestSummary } from '../../../shared/contract/backtests';
import type { JobView } from '../../../shared/contract/ml';
import { fmtNumber, fmtShortSpan, fmtSince, fmtTime } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { fmtBytes, fmtCpu, fmtMs, fmtRatio } from './monitorFormat';
import { breachOf, breachText, seriesOf, thresholdFor } from './monitorView';
import { SeriesChart, Sparkline } from './Sparkline';
import { useSystemMetrics } from './useSystemMetrics';
import './monitor.css';

export function MonitorPanel() {
  const { metrics, error } = useSystemMetrics();
  if (!metrics) {
    return (
      <div className="mon" data-testid="monitor-panel">
        <div className={error ? 'mon-error' : 'table-empty'} role={error ? 'alert' : undefined}>
          {error ?? 'Reading the monitor…'}
        </div>
      </div>
    );
  }
  const { sample, history, thresholds } = metrics;
  const chart = (key: string, label: string, breach?: Breach) => (
    <SeriesChart series={seriesOf(history, key)} threshold={thresholdFor(key, thresholds)} breached={breach !== undefined} label={label} />
  );
  const loopBreach = breachOf(sample.breaches, 'eventLoopDelay');
  const memoryBreach = breachOf(sample.breaches, 'memory');
  const journalBreach = breachOf(sample.breaches, 'journalWriteLatency');
  const emailBreach = breachOf(sample.breaches, 'emailDelivery');
  return (
    <div className="mon" data-testid="monitor-panel">
      <StatusLine sample={sample} thresholds={thresholds} />
      {error && (
        <div className="mon-error" role="alert">
          {error}
        </div>
      )}
      <div className="mon-grid">
        <Tile id="processes" title="Processes" breached={memoryBreach !== undefined}>
          <ProcessTable sample={sample} memoryBreach={memoryBreach} />
          <div className="mon-charts">
            {chart('process.main.cpu', 'Main CPU')}
            {chart('process.main.memory', 'Main memory', memoryBreach)}
            {seriesOf(history, 'process.renderer.memory') && chart('process.renderer.memory', 'Renderer memory')}
          </div>
        </Tile>

        <Tile id="event-loop" title="Main thread event loop" breached={loopBreach !== undefined}>
          <Figures>
            <Figure id="loop-p50" label="Delay p50" value={fmtMs(sample.eventLoop.delayP50Ms)} />
            <Figure id="loop-p99" label="Delay p99" value={fmtMs(sample.eventLoop.delayP99Ms)} breach={loopBreach} format={fmtMs} />
            <Figure id="loop-max" label="Delay max" value={fmtMs(sample.eventLoop.delayMaxMs)} />
            <Figure id="loop-util" label="Utilisation" value={fmtRatio(sample.eventLoop.utilization)} />
          </Figures>
          <div className="mon-charts">
            {chart('eventLoop.delayP99', 'Delay p99', loopBreach)}
            {chart('eventLoop.utilization', 'Utilisation')}
          </div>
        </Tile>

        <Tile id="memory" title="Main process memory" breached={memoryBreach !== undefined}>
          <Figures>
            <Figure id="mem-rss" label="Resident" value={fmtBytes(sample.memory.rssBytes)} breach={memoryBreach} format={fmtBytes} />
            <Figure id="mem-heap" label="Heap used" value={fmtBytes(sample.memory.heapUsedBytes)} />
            <Figure id="mem-heap-total" label="Heap total" value={fmtBytes(sample.memory.heapTotalBytes)} />
            <Figure id="mem-external" label="Outside heap" value={fmtBytes(sample.memory.externalBytes)} />
          </Figures>
          <div className="mon-charts">{chart('main.heapUsed', 'Heap used')}</div>
        </Tile>

        <Tile id="workers" title="Worker pools">
          <PoolTable sample={sample} />
          <div className="mon-charts">
            {sample.workerPools
              .filter((p) => p.started)
              .map((p) => (
                <SeriesChart key={p.name} series={seriesOf(history, `pool.${p.name}.busy`)} label={`${p.name}: busy`} />
              ))}
          </div>
        </Tile>

        <Tile id="journal" title="Journal" breached={journalBreach !== undefined}>
          <Figures>
            <Figure id="journal-size" label="Database" value={fmtBytes(sample.journal.fileBytes)} />
            <Figure id="journal-wal" label="Write-ahead log" value={fmtBytes(sample.journal.walBytes)} />
            <Figure id="journal-writes" label={sample.intervalMs > 0 ? `Writes / ${fmtNumber(sample.intervalMs / 1000, 0)} s` : 'Writes'} value={fmtNumber(sample.journal.writes, 0)} />
            <Figure id="journal-p99" label="Write p99" value={fmtMs(sample.journal.writeP99Ms)} breach={journalBreach} format={fmtMs} />
            <Figure id="journal-max" label="Write max" value={fmtMs(sample.journal.writeMaxMs)} />
          </Figures>
          <div className="mon-charts">
            {chart('journal.writeP99', 'Write p99', journalBreach)}
            {chart('journal.size', 'Size on disk')}
          </div>
        </Tile>

        <Tile id="connections" title="Connections">
          {sample.webSocketClients === null ? (
            <p className="mon-note">The desktop app talks to the engine over IPC; no WebSocket is served.</p>
          ) : (
            <>
              <Figures>
                <Figure id="ws-clients" label="WebSocket clients" value={fmtNumber(sample.webSocketClients, 0)} />
              </Figures>
              <div className="mon-charts">{chart('ws.clients', 'Clients')}</div>
            </>
          )}
        </Tile>

        <Tile id="venues" title="Venues" wide breached={sample.breaches.some((b) => b.metric === 'venueMessageAge' || b.metric === 'venueErrorRate')}>
          <VenueTable sample={sample} metrics={metrics} />
        </Tile>

        <Tile id="email" title="Email delivery" breached={emailBreach !== undefined}>
          {sample.email === null ? (
            <p className="mon-note">Email alerts are not set up.</p>
          ) : (
            <Figures>
              <Figure id="email-queued" label="Queued" value={fmtNumber(sample.email.queued, 0)} />
              <Figure id="email-failing" label="Failed attempts" value={fmtNumber(sample.email.failingAttempts, 0)} breach={emailBreach} format={(n) => fmtNumber(n, 0)} />
              <Figure id="email-sent" label="Last sent" value={sample.email.lastSentAt === null ? 'never' : fmtSince(sample.email.lastSentAt, sample.at)} />
              {sample.email.lastError && <Figure id="email-error" label="Last error" value={sample.email.lastError} wide />}
            </Figures>
          )}
        </Tile>

        <Tile id="jobs" title="Last jobs" double>
          <JobsTable />
        </Tile>
      </div>
    </div>
  );
}

function StatusLine({ sample, thresholds }: { sample: MonitorSample; thresholds: MonitorThresholds }) {
  const n = sample.breaches.length;
  return (
    <section className="panel mon-status" aria-label="Monitor status">
      <span className={`mon-pill ${n === 0 ? 'mon-pill-ok' : 'mon-pill-bad'}`} data-testid="monitor-status">
        {n === 0 ? 'All within thresholds' : `${n} over threshold`}
      </span>
      <span className="muted">
        Sampled at {fmtTime(sample.at)}
        {sample.intervalMs > 0 && ` every ${fmtNumber(sample.intervalMs / 1000, 0)} s`} · charts cover the last hour · alerts at event-loop p99 {fmtMs(thresholds.eventLoopDelayP99Ms)}, memory{' '}
        {fmtBytes(thresholds.memoryRssBytes)}, journal write p99 {fmtMs(thresholds.journalWriteP99Ms)}, venue silence {fmtShortSpan(thresholds.venueMessageAgeMs)}, venue errors{' '}
        {fmtRatio(thresholds.venueErrorRate)}
      </span>
      {n > 0 && (
        <ul className="mon-breaches" role="alert">
          {sample.breaches.map((b) => (
            <li key={b.key}>{breachText(b, formatterOf(b), fmtTime)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function formatterOf(breach: Breach): (value: number) => string {
  switch (breach.metric) {
    case 'eventLoopDelay':
    case 'journalWriteLatency':
      return fmtMs;
    case 'memory':
      return fmtBytes;
    case 'venueMessageAge':
      return fmtShortSpan;
    case 'venueErrorRate':
      return (v) => fmtRatio(v);
    case 'emailDelivery':
      return (v) => fmtNumber(v, 0);
  }
}

/** `wide`: the whole row; `double`: two columns. */
function Tile({ id, title, wide, double, breached, children }: { id: string; title: string; wide?: boolean; double?: boolean; breached?: boolean; children: ReactNode }) {
  return (
    <section className={`panel mon-tile${wide ? ' mon-tile-wide' : double ? ' mon-tile-double' : ''}${breached ? ' mon-tile-breach' : ''}`} aria-label={title} data-testid={`monitor-tile-${id}`} data-breach={breached ? 'true' : undefined}>
      <div className="panel-title">
        <span>{title}</span>
        {breached && <span className="mon-flag">over threshold</span>}
      </div>
      <div className="mon-body">{children}</div>
    </section>
  );
}

function Figures({ children }: { children: ReactNode }) {
  return <dl className="mon-figures">{children}</dl>;
}

function Figure({ id, label, value, breach, format, wide }: { id: string; label: string; value: string; breach?: Breach | undefined; format?: (value: number) => string; wide?: boolean }) {
  const title = breach && format ? breachText(breach, format, fmtTime) : undefined;
  return (
    <div className={`mon-figure${breach ? ' mon-breach' : ''}${wide ? ' mon-figure-wide' : ''}`} data-testid={`monitor-figure-${id}`} data-breach={breach ? 'true' : undefined} title={title}>
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

/** A column heading, and its cell class ("num" right-aligns figures). */
type Column = readonly [label: string, className?: string];

const PROCESS_COLUMNS: readonly Column[] = [['Process'], ['CPU', 'num'], ['Memory', 'num'], ['PID', 'num']];
const POOL_COLUMNS: readonly Column[] = [['Pool'], ['Workers', 'num'], ['Busy', 'num'], ['Queue', 'num'], ['Done', 'num'], ['Failed', 'num'], ['Load']];
const VENUE_COLUMNS: readonly Column[] = [
  ['Venue'],
  ['State'],
  ['Latency p50 / p95', 'num'],
  ['Last hour', 'mon-spark-col'],
  ['Errors', 'num'],
  ['Rate limit', 'num'],
  ['Last message', 'num'],
  ['Last hour', 'mon-spark-col'],
];
const JOB_COLUMNS: readonly Column[] = [['Kind'], ['Name'], ['Status'], ['Started', 'num'], ['Took', 'num']];

function MonTable({ testId, className, columns, children }: { testId?: string; className?: string; columns: readonly Column[]; children: ReactNode }) {
  return (
    <table className={className ? `mon-table ${className}` : 'mon-table'} data-testid={testId}>
      <thead>
        <tr>
          {columns.map(([label, cellClass], i) => (
            <th key={i} className={cellClass}>
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A row for a part that has no figures: its leading cells, then why, across the rest. */
function UnmeasuredRow({ testId, lead, span, note }: { testId?: string; lead: readonly ReactNode[]; span: number; note: string }) {
  return (
    <tr data-testid={testId} className="mon-unmeasured">
      {lead.map((cell, i) => (
        <td key={i}>{cell}</td>
      ))}
      <td colSpan={span} className="muted">
        {note}
      </td>
    </tr>
  );
}

function ProcessTable({ sample, memoryBreach }: { sample: MonitorSample; memoryBreach: Breach | undefined }) {
  return (
    <MonTable testId="monitor-processes" columns={PROCESS_COLUMNS}>
      {sample.processes.map((p) =>
        p.measured ? (
          <tr key={`${p.kind}-${p.pid ?? p.label}`}>
            <td>{p.label}</td>
            <td className="num">{fmtCpu(p.cpuPercent)}</td>
            <td className={`num${p.kind === 'main' && memoryBreach ? ' mon-breach' : ''}`}>{fmtBytes(p.memoryBytes)}</td>
            <td className="num muted">{p.pid ?? '—'}</td>
          </tr>
        ) : (
          <UnmeasuredRow key={`${p.kind}-${p.label}`} lead={[p.label]} span={3} note="not measured: your browser runs it" />
        ),
      )}
    </MonTable>
  );
}

function PoolTable({ sample }: { sample: MonitorSample }) {
  return (
    <MonTable testId="monitor-pools" columns={POOL_COLUMNS}>
      {sample.workerPools.map((p) =>
        p.started ? (
          <tr key={p.name}>
            <td>{p.name}</td>
            <td className="num">
              {p.live}/{p.size}
            </td>
            <td className="num">{p.busy}</td>
            <td className={`num${p.queued > 0 ? ' mon-warn' : ''}`}>{p.queued}</td>
            <td className="num">{p.completed}</td>
            <td className={`num${p.failed > 0 ? ' mon-warn' : ''}`}>{p.failed}</td>
            <td>
              <span className="mon-loads">
                {p.workers.map((w) => (
                  <span key={w.threadId} className="mon-load" title={`thread ${w.threadId}: ${w.utilization === null ? 'first reading' : fmtRatio(w.utilization)} busy`}>
                    <span className="mon-load-fill" style={{ height: `${Math.round((w.utilization ?? 0) * 100)}%` }} />
                  </span>
                ))}
              </span>
            </td>
          </tr>
        ) : (
          <UnmeasuredRow key={p.name} lead={[p.name]} span={6} note="not started: starts on first use" />
        ),
      )}
    </MonTable>
  );
}

function VenueTable({ sample, metrics }: { sample: MonitorSample; metrics: SystemMetrics }) {
  if (sample.venues.length === 0) return <p className="mon-note">No venue is running.</p>;
  return (
    <MonTable testId="monitor-venues" className="mon-venues" columns={VENUE_COLUMNS}>
      {sample.venues.map((v) => (
        <VenueRow key={v.venue} v={v} metrics={metrics} />
      ))}
    </MonTable>
  );
}

function VenueRow({ v, metrics }: { v: VenueMetrics; metrics: SystemMetrics }) {
  const { sample, history, thresholds } = metrics;
  const ageBreach = breachOf(sample.breaches, 'venueMessageAge', v.venue);
  const errorBreach = breachOf(sample.breaches, 'venueErrorRate', v.venue);
  if (!v.measured) {
    return <UnmeasuredRow testId={`monitor-venue-${v.venue}`} lead={[v.venue, v.state]} span={6} note="this venue reports no statistics" />;
  }
  const windowMin = Math.round(v.windowMs / 60_000);
  return (
    <tr data-testid={`monitor-venue-${v.venue}`}>
      <td>
        {v.venue}
        {v.paper && <span className="mon-tag">paper</span>}
      </td>
      <td className={v.state === 'ready' ? 'mon-ok' : 'mon-warn'}>{v.state}</td>
      <td className="num">
        {fmtMs(v.latencyP50Ms)} / {fmtMs(v.latencyP95Ms)}
      </td>
      <td className="mon-spark-col">
        <Sparkline series={seriesOf(history, `venue.${v.venue}.latencyP50`)} label={`${v.venue} latency p50`} />
      </td>
      <td className={`num${errorBreach ? ' mon-breach' : ''}`} data-testid={`monitor-venue-${v.venue}-errors`} title={`${v.errors} of ${v.requests} requests in the last ${windowMin} min`}>
        {v.errorRate === null ? '—' : fmtRatio(v.errorRate, 1)} <span className="muted">({v.errors}/{v.requests})</span>
      </td>
      <td className={`num${v.rateLimited ? ' mon-breach' : ''}`}>{v.rateLimited ? 'held back' : fmtRatio(v.rateLimitUsage)}</td>
      <td className={`num${ageBreach ? ' mon-breach' : ''}`} data-testid={`monitor-venue-${v.venue}-age`} data-breach={ageBreach ? 'true' : undefined}>
        {v.lastMessageAgeMs === null ? 'never' : `${fmtShortSpan(v.lastMessageAgeMs)} ago`}
      </td>
      <td className="mon-spark-col">
        <Sparkline
          series={seriesOf(history, `venue.${v.venue}.messageAge`)}
          threshold={thresholdFor(`venue.${v.venue}.messageAge`, thresholds)}
          breached={ageBreach !== undefined}
          label={`${v.venue} last message age`}
        />
      </td>
    </tr>
  );
}

function latest<T>(items: readonly T[], at: (item: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || at(item) > at(best)) best = item;
  return best;
}

function JobsTable() {
  const backtest: BacktestSummary | undefined = useKeel((s) => latest(s.backtests, (b) => b.createdAt));
  const training: JobView | undefined = useKeel((s) => latest(s.jobs, (j) => j.startedAt));
  const row = (kind: string, job: { name: string; status: string; startedAt: number; finishedAt: number | null } | undefined) => (
    <tr data-testid={`monitor-job-${kind.toLowerCase()}`}>
      <td>{kind}</td>
      {job ? (
        <>
          <td>{job.name}</td>
          <td className={job.status === 'failed' ? 'mon-warn' : undefined}>{job.status}</td>
          <td className="num">{fmtSince(job.startedAt)}</td>
          <td className="num">{job.finishedAt === null ? '—' : fmtShortSpan(job.finishedAt - job.startedAt)}</td>
        </>
      ) : (
        <td colSpan={4} className="muted">
          none yet
        </td>
      )}
    </tr>
  );
  return (
    <MonTable columns={JOB_COLUMNS}>
      {row('Backtest', backtest && { ...backtest, startedAt: backtest.createdAt })}
      {row('Training', training)}
    </MonTable>
  );
}
