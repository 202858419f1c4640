/**
 * The strategy types a trader can instantiate: the built-ins, then the
 * trader's own files from the user folder (reloaded on request). A file that
 * could not be loaded stays in the list with its reason, so the Strategies
 * panel can show what is wrong with it; it cannot be instantiated.
 */
import { basename } from 'node:path';
import type { StrategyCatalogEntry } from '../../../shared/contract/strategies';
import { KeelError } from '../../../shared/errors';
import { catalogEntry, type StrategyDefinition } from './definition';
import { loadUserStrategies, type UserStrategyFile } from './userStrategies';

interface BrokenFile {
  /** A type made from the file name, so the panel can key and select it without clashing with a working strategy. */
  type: string;
  file: string;
  error: string;
}

export class StrategyCatalog {
  private readonly builtins: readonly StrategyDefinition[];
  private readonly userDir: string | null;
  private user: StrategyDefinition[] = [];
  private userFiles = new Map<string, string>();
  private broken: BrokenFile[] = [];

  constructor(builtins: readonly StrategyDefinition[], userDir: string | null) {
    this.builtins = builtins;
    this.userDir = userDir;
  }

  /** Reads the user folder again; built-ins never change. */
  async reload(): Promise<void> {
    const loaded: UserStrategyFile[] = this.userDir === null ? [] : await loadUserStrategies(this.userDir, this.builtins.map((d) => d.type));
    const user: StrategyDefinition[] = [];
    const userFiles = new Map<string, string>();
    const broken: BrokenFile[] = [];
    const used = new Set(this.builtins.map((d) => d.type));
    for (const result of loaded) {
      if (result.definition) {
        user.push(result.definition);
        userFiles.set(result.definition.type, result.file);
        used.add(result.definition.type);
      }
    }
    for (const result of loaded) {
      if (result.definition) continue;
      broken.push({ type: uniqueType(fileSlug(result.file), used), file: result.file, error: result.error ?? 'could not be loaded' });
    }
    this.user = user;
    this.userFiles = userFiles;
    this.broken = broken;
  }

  entries(): StrategyCatalogEntry[] {
    return [
      ...this.builtins.map((d) => catalogEntry(d, 'builtin', null)),
      ...this.user.map((d) => catalogEntry(d, 'user', this.userFiles.get(d.type) ?? null)),
      ...this.broken.map(brokenEntry),
    ];
  }

  get(type: string): StrategyDefinition {
    const definition = this.builtins.find((d) => d.type === type) ?? this.user.find((d) => d.type === type);
    if (definition) return definition;
    const broken = this.broken.find((b) => b.type === type);
    if (broken) throw new KeelError('VALIDATION_FAILED', `Strategy file ${broken.error}`, { type, file: broken.file });
    throw new KeelError('NOT_FOUND', `No strategy type "${type}"`, { type });
  }
}

function brokenEntry(broken: BrokenFile): StrategyCatalogEntry {
  const name = basename(broken.file);
  return {
    type: broken.type,
    name,
    summary: `Could not be loaded: ${broken.error}`,
    explanation: broken.error,
    params: [],
    constraints: [],
    origin: 'user',
    file: broken.file,
    error: broken.error,
  };
}

/** "My Strategy.ts" → "my-strategy-ts": the file name as a valid strategy type. */
function fileSlug(file: string): string {
  const slug = basename(file)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 56);
  return slug || 'file';
}

function uniqueType(base: string, used: Set<string>): string {
  let type = base;
  for (let n = 2; used.has(type); n++) type = `${base}-${n}`;
  used.add(type);
  return type;
}
