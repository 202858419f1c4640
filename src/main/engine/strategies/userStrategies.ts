/**
 * The trader's own strategy files: every `.js`, `.mjs`, `.cjs` and `.ts` file
 * directly in one folder, each exporting one strategy definition (the shape
 * docs/strategies.md describes). A file that cannot be loaded or is not a
 * valid strategy is reported with the reason and its name, never thrown, so
 * one broken file does not hide the others. The folder is only read: nothing
 * is created in it.
 *
 * JavaScript is loaded by Node itself; TypeScript is first transpiled to
 * CommonJS with esbuild, which is loaded only when a `.ts` file is there.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { errorText } from '../../../shared/errors';
import { BUILTIN_STRATEGIES } from './catalog';
import { checkDefinition, resolveParams, type StrategyDefinition } from './definition';

export interface UserStrategyFile {
  /** Absolute path of the file. */
  file: string;
  definition?: StrategyDefinition;
  /** Why the file is not usable, starting with its name. */
  error?: string;
}

const EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts']);

/**
 * Named in a variable so the main-process bundle leaves it alone: esbuild's
 * API finds its native binary next to its own package and cannot be bundled.
 */
const ESBUILD = 'esbuild';

/** True for files the loader reads; type declarations (`.d.ts`) are not strategies. */
export function isStrategyFile(name: string): boolean {
  return EXTENSIONS.has(extname(name)) && !name.endsWith('.d.ts') && !name.startsWith('.');
}

/**
 * Loads every strategy file in `dir` (not its sub-folders), in name order. A
 * missing folder has no strategies; one that cannot be read is one error
 * naming it. A type already taken by a built-in (or by an earlier file) is
 * an error for the later file.
 */
export async function loadUserStrategies(dir: string, builtinTypes: Iterable<string> = BUILTIN_STRATEGIES.map((d) => d.type)): Promise<UserStrategyFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && isStrategyFile(e.name)).map((e) => e.name);
  } catch (error) {
    if (isMissing(error)) return [];
    return [{ file: dir, error: `${basename(dir)}: the strategy folder could not be read (${errorText(error)})` }];
  }
  names.sort();
  const taken = new Map<string, string>([...builtinTypes].map((type) => [type, 'a built-in strategy']));
  const results: UserStrategyFile[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const definition = validate(pickDefinition(await loadModule(file)));
      const owner = taken.get(definition.type);
      if (owner !== undefined) throw new Error(`type "${definition.type}" is already used by ${owner}; give the strategy another type`);
      taken.set(definition.type, name);
      results.push({ file, definition });
    } catch (error) {
      results.push({ file, error: `${name}: ${failureText(error, file)}` });
    }
  }
  return results;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function loadModule(file: string): Promise<unknown> {
  return extname(file) === '.ts' ? loadTypeScript(file) : loadJavaScript(file);
}

/**
 * Node's own loader, so a file behaves as it would under `node`. A `.cjs` or
 * CommonJS `.js` file is required, first dropped from require's cache so an
 * edited file loads afresh. An ES module (`.mjs`, or ES syntax in a `.js`
 * file, which require detects) is imported with its version in the URL:
 * Node keeps every module it evaluated, by URL, for good, so the version
 * makes an edited file a new module and an unchanged one the same.
 */
async function loadJavaScript(file: string): Promise<unknown> {
  if (extname(file) === '.mjs') return importVersion(file);
  const require = createRequire(file);
  delete require.cache[file];
  let loaded: unknown;
  try {
    loaded = require(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    // An ES module with top-level await (or a Node without require of ES modules) needs import.
    if (code === 'ERR_REQUIRE_ASYNC_MODULE' || code === 'ERR_REQUIRE_ESM') return importVersion(file);
    if (error instanceof SyntaxError) throw error;
    throw new Error(`threw while loading: ${errorText(error)}`);
  }
  return Object.prototype.toString.call(loaded) === '[object Module]' ? importVersion(file) : loaded;
}

async function importVersion(file: string): Promise<unknown> {
  const info = await stat(file);
  const url = `${pathToFileURL(file).href}?v=${Math.trunc(info.mtimeMs)}-${info.size}`;
  try {
    return await import(/* @vite-ignore */ url);
  } catch (error) {
    if (error instanceof SyntaxError) throw error;
    throw new Error(`threw while loading: ${errorText(error)}`);
  }
}

interface EsbuildMessage {
  text: string;
  location: { line: number; column: number } | null;
}

async function loadTypeScript(file: string): Promise<unknown> {
  const source = await readFile(file, 'utf8');
  let transform: typeof import('esbuild').transform;
  try {
    ({ transform } = (await import(/* @vite-ignore */ ESBUILD)) as typeof import('esbuild'));
  } catch (error) {
    throw new Error(`TypeScript strategies need esbuild, which could not be loaded (${errorText(error)}); write the strategy as a .js file instead`);
  }
  let code: string;
  try {
    ({ code } = await transform(source, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: basename(file) }));
  } catch (error) {
    const first = (error as { errors?: EsbuildMessage[] }).errors?.[0];
    if (!first) throw error;
    const where = first.location ? `line ${first.location.line}, column ${first.location.column + 1}: ` : '';
    throw new Error(`syntax error, ${where}${first.text}`);
  }
  // Evaluated as Node evaluates a CommonJS file: its own module, exports, require and paths.
  const module = { exports: {} as unknown };
  const run = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  try {
    run(module.exports, createRequire(file), module, file, dirname(file));
  } catch (error) {
    throw new Error(`threw while loading: ${errorText(error)}`);
  }
  return module.exports;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/**
 * The definition a module exports: its default export, else `module.exports`
 * itself, else its `strategy` export. A module loaded by import carries a
 * CommonJS file's `module.exports` as its default, and a transpiled ES
 * module has its default export under `default` once more; both unwrap.
 */
function pickDefinition(loaded: unknown): unknown {
  let value = isObject(loaded) && 'default' in loaded ? loaded.default : loaded;
  if (isObject(value) && !('create' in value) && 'default' in value) value = value.default;
  if (isObject(value) && !('create' in value) && isObject(value.strategy)) return value.strategy;
  if (!isObject(value) && isObject(loaded) && isObject(loaded.strategy)) return loaded.strategy;
  return value;
}

/** The catalog's checks, plus what a built-in's author would find at once: defaults that break a constraint, a warm-up that is not a count. */
function validate(value: unknown): StrategyDefinition {
  const definition = checkDefinition(value);
  if (definition.constraints !== undefined) {
    if (!Array.isArray(definition.constraints) || !definition.constraints.every((c) => isObject(c) && typeof c.text === 'string' && typeof c.holds === 'function')) {
      throw new Error('Not a valid strategy: "constraints" must be an array of { text, holds(params) }');
    }
  }
  const defaults = resolveParams(definition, {});
  const warmup = definition.warmupBars(defaults);
  if (typeof warmup !== 'number' || !Number.isFinite(warmup) || warmup < 0) {
    throw new Error(`Not a valid strategy: "warmupBars" must answer a number of bars (0 or more) for the defaults; it answered ${String(warmup)}`);
  }
  return definition;
}

/** A load failure as one line: syntax errors with their line when Node reports it. */
function failureText(error: unknown, file: string): string {
  const message = errorText(error);
  if (!(error instanceof SyntaxError)) return message;
  // Node puts "<file or URL>:<line>" on the first line of a syntax error's stack.
  const first = error.stack?.split('\n', 1)[0] ?? '';
  const line = first.includes(basename(file)) ? /:(\d+)$/.exec(first)?.[1] : undefined;
  return line ? `syntax error, line ${line}: ${message}` : `syntax error: ${message}`;
}
