/**
 * Training jobs on the journal's SQLite database (table from migration 15):
 * one row per job with its view as JSON, written when a job starts and when
 * it ends (progress in between is only published). Saving drops the oldest
 * finished jobs past the bound, so the table stays small. Views are checked
 * against their schema on the way in and out.
 */
import type Database from 'better-sqlite3';
import { writeTransactions } from './writeTransactions';
import { jobViewSchema, type JobView } from '../../shared/contract/ml';
import { errorText } from '../../shared/errors';
import { DEFAULT_JOBS_KEPT, type TrainingJobStore } from '../ml/training/trainingJobStore';

interface BodyRow {
  body: string;
}

function parse(row: BodyRow): JobView {
  try {
    return jobViewSchema.parse(JSON.parse(row.body));
  } catch (error) {
    throw new Error(`Unreadable training job in the journal: ${errorText(error)}`);
  }
}

export class SqliteTrainingJobStore implements TrainingJobStore {
  private readonly upsert: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly all: Database.Statement;
  private readonly write: <T>(fn: () => T) => T;

  constructor(
    private readonly db: Database.Database,
    private readonly keep: number = DEFAULT_JOBS_KEPT,
  ) {
    // The row keeps its rowid when updated: jobs started at the same time stay in the order they were created.
    this.upsert = db.prepare(
      'INSERT INTO training_jobs (id, status, started_at, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, started_at = excluded.started_at, body = excluded.body',
    );
    this.prune = db.prepare(
      "DELETE FROM training_jobs WHERE status <> 'running' AND rowid NOT IN (SELECT rowid FROM training_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?)",
    );
    this.all = db.prepare('SELECT body FROM training_jobs ORDER BY started_at DESC, rowid DESC');
    this.write = writeTransactions(db);
  }

  save(job: JobView): void {
    const checked = jobViewSchema.parse(job);
    this.write(() => {
      this.upsert.run(checked.id, checked.status, checked.startedAt, JSON.stringify(checked));
      this.prune.run(this.keep);
    });
  }

  list(): JobView[] {
    return (this.all.all() as BodyRow[]).map(parse);
  }
}
