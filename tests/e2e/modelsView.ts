/**
 * Shared steps of the journeys through the Models view: reading the
 * registry beside the UI, training from the view's form on the paper
 * venue's history, and recording every value a training's progress bar
 * shows (a small training is over in about a second, too fast to poll).
 */
import type { Page } from '@playwright/test';
import type { JobView } from '../../src/shared/contract/ml';
import type { ModelRecord } from '../../src/shared/models';
import type { RunningHost } from './headlessHost';
import { rpc } from './rpc';

export async function listModels(running: RunningHost): Promise<ModelRecord[]> {
  return (await rpc<{ models: ModelRecord[] }>(running.port, running.token, 'models.list')).models;
}

export async function listJobs(running: RunningHost): Promise<JobView[]> {
  return (await rpc<{ jobs: JobView[] }>(running.port, running.token, 'jobs.list')).jobs;
}

/** From now on, every value the named progress bar shows (0 to 1) is kept in the page. */
export async function recordProgress(page: Page, name: string): Promise<void> {
  await page.evaluate((label) => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    const read = () => {
      for (const el of document.querySelectorAll(`[role="progressbar"][aria-label="${label}"]`)) {
        const max = Number(el.getAttribute('aria-valuemax'));
        seen.push(max > 0 ? Number(el.getAttribute('aria-valuenow')) / max : 0);
      }
    };
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  }, name);
}

export async function progressSeen(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
}

export interface Training {
  name: string;
  symbol: string;
  rounds: string;
  maxDepth?: string;
  /** Bars ahead; the form's default when left out. */
  horizon?: string;
  /** The direction target's threshold in percent; the form's default when left out. */
  thresholdPct?: string;
}

/** Fills the Models view's form for boosted trees on the paper venue's 1m history of `symbol`, and sends it. */
export async function startTraining(page: Page, t: Training): Promise<void> {
  const form = page.getByRole('region', { name: 'Train a model' });
  await form.getByLabel('Name').fill(t.name);
  await form.getByRole('radio', { name: 'Boosted trees' }).click();
  await form.getByRole('radio', { name: 'Venue history' }).click();
  await form.getByLabel('Venue').selectOption('paper');
  await form.getByLabel('Symbol').selectOption(t.symbol);
  await form.getByLabel('Timeframe').selectOption('1m');
  await form.getByLabel('Rounds').fill(t.rounds);
  await form.getByLabel('Max depth').fill(t.maxDepth ?? '3');
  if (t.horizon !== undefined) await form.getByLabel('Horizon').fill(t.horizon);
  if (t.thresholdPct !== undefined) await form.getByLabel('Threshold').fill(t.thresholdPct);
  await form.getByRole('button', { name: 'Train model' }).click();
}
