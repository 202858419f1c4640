import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticBars } from '../../../../tests/support/syntheticBars';
import { backtestSettingsSchema } from '../../../shared/contract/backtests';
import { KeelError } from '../../../shared/errors';
import { runStrategyBacktest } from '../../backtest/strategyBacktest';
import { BUILTIN_STRATEGIES } from './catalog';
import { StrategyCatalog } from './strategyCatalog';
import { loadUserStrategies, type UserStrategyFile } from './userStrategies';

const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-strategies-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The body of a small valid definition, as source text. */
function body(type: string, extra = ''): string {
  return `{
    type: '${type}',
    name: 'User ${type}',
    summary: 'A test strategy.',
    explanation: 'It buys on the first bar.\\n\\nThen it holds.',
    params: [{ name: 'period', type: 'int', default: 5, min: 1, max: 50, description: 'Bars.' }],
    warmupBars: (p) => p.period,
    create: (ctx) => ({ onBar: () => ctx.signal('seen') }),${extra}
  }`;
}

const byName = (results: UserStrategyFile[]) => Object.fromEntries(results.map((r) => [r.file.split(/[\\/]/).pop()!, r]));

/** The first fenced block of that language in docs/strategies.md: the documented example must load and trade. */
function docExample(language: string): string {
  const text = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'strategies.md'), 'utf8');
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text);
  if (!match) throw new Error(`no ${language} example in docs/strategies.md`);
  return match[1]!;
}

describe('loadUserStrategies', () => {
  it('loads CommonJS, ES module and TypeScript files, in name order', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-common.js'), `module.exports = ${body('user-common')};`);
    writeFileSync(join(dir, 'b-module.mjs'), `export default ${body('user-module')};`);
    writeFileSync(join(dir, 'c-named.cjs'), `exports.strategy = ${body('user-named')};`);
    writeFileSync(
      join(dir, 'd-typed.ts'),
      [
        'interface Params { period: number }',
        'type Ctx = { signal(text: string): void };',
        `const definition = ${body('user-typed').replace('(p) =>', '(p: Params): number =>').replace('(ctx) =>', '(ctx: Ctx) =>')};`,
        'export default definition;',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'e-esm.js'), `export default ${body('user-esm-js')};`);
    writeFileSync(join(dir, 'f-awaits.mjs'), `const type = await Promise.resolve('user-awaits');\nexport const strategy = ${body('TYPE').replace("'TYPE'", 'type')};`);
    const results = await loadUserStrategies(dir);
    expect(results.map((r) => r.error ?? null)).toEqual([null, null, null, null, null, null]);
    expect(results.map((r) => r.definition!.type)).toEqual(['user-common', 'user-module', 'user-named', 'user-typed', 'user-esm-js', 'user-awaits']);
    expect(results[0]!.file).toBe(join(dir, 'a-common.js'));
    expect(results[3]!.definition!.warmupBars({ period: 7 })).toBe(7);
  });

  it('reports a syntax error with the file and the line', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.js'), `module.exports = {\n  type: 'broken',\n  name: 'Broken'\n  summary: 'missing comma',\n};\n`);
    writeFileSync(join(dir, 'broken-ts.ts'), `const x: number = ;\nexport default x;\n`);
    const results = byName(await loadUserStrategies(dir));
    expect(results['broken.js']!.definition).toBeUndefined();
    expect(results['broken.js']!.error).toMatch(/^broken\.js: syntax error, line 4: /);
    expect(results['broken-ts.ts']!.definition).toBeUndefined();
    expect(results['broken-ts.ts']!.error).toMatch(/^broken-ts\.ts: syntax error, line 1, column 19: /);
  });

  it('reports a file that throws while loading', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'throws.js'), `throw new Error('no data today');`);
    writeFileSync(join(dir, 'throws.ts'), `const value: string = 'x';\nthrow new Error('typed boom ' + value);\n`);
    writeFileSync(join(dir, 'imports-keel.ts'), `import { smaCross } from 'keel';\nexport default smaCross;\n`);
    const results = byName(await loadUserStrategies(dir));
    expect(results['throws.js']!.error).toBe('throws.js: threw while loading: no data today');
    expect(results['throws.ts']!.error).toBe('throws.ts: threw while loading: typed boom x');
    expect(results['imports-keel.ts']!.error).toMatch(/^imports-keel\.ts: threw while loading: Cannot find module 'keel'/);
  });

  it('reports a file that exports something that is not a strategy', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'number.js'), 'module.exports = 42;');
    writeFileSync(join(dir, 'nothing.mjs'), 'export const answer = 42;');
    writeFileSync(join(dir, 'bad-type.js'), `module.exports = ${body('Not A Type')};`);
    writeFileSync(join(dir, 'bad-default.js'), `module.exports = ${body('bad-default').replace('default: 5', 'default: 500')};`);
    writeFileSync(join(dir, 'bad-constraint.js'), `module.exports = ${body('bad-constraint', "\n    constraints: [{ text: 'period > 10', holds: (p) => p.period > 10 }],")};`);
    writeFileSync(join(dir, 'bad-warmup.js'), `module.exports = ${body('bad-warmup').replace('(p) => p.period', '() => -1')};`);
    const results = byName(await loadUserStrategies(dir));
    for (const result of Object.values(results)) expect(result.definition).toBeUndefined();
    expect(results['number.js']!.error).toBe('number.js: Not a valid strategy: the module must export a strategy definition object');
    expect(results['nothing.mjs']!.error).toMatch(/^nothing\.mjs: Not a valid strategy: "type"/);
    expect(results['bad-type.js']!.error).toMatch(/^bad-type\.js: Not a valid strategy: "type" must be lower-case/);
    expect(results['bad-default.js']!.error).toMatch(/^bad-default\.js: Not a valid strategy: parameter "period": its default 500 is not valid/);
    expect(results['bad-constraint.js']!.error).toBe('bad-constraint.js: User bad-constraint: parameters must satisfy period > 10');
    expect(results['bad-warmup.js']!.error).toMatch(/^bad-warmup\.js: Not a valid strategy: "warmupBars" must answer a number of bars/);
  });

  it('refuses a type a built-in or an earlier file already has', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.js'), `module.exports = ${body('sma-cross')};`);
    writeFileSync(join(dir, 'b.js'), `module.exports = ${body('mine')};`);
    writeFileSync(join(dir, 'c.js'), `module.exports = ${body('mine')};`);
    const results = byName(await loadUserStrategies(dir));
    expect(results['a.js']!.error).toBe('a.js: type "sma-cross" is already used by a built-in strategy; give the strategy another type');
    expect(results['b.js']!.definition?.type).toBe('mine');
    expect(results['c.js']!.error).toBe('c.js: type "mine" is already used by b.js; give the strategy another type');
  });

  it('reads only strategy files directly in the folder and creates nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.md'), '# notes');
    writeFileSync(join(dir, 'types.d.ts'), 'export interface X { a: number }');
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'helper.js'), `module.exports = ${body('helper')};`);
    expect(await loadUserStrategies(dir)).toEqual([]);
    const missing = join(dir, 'not-there');
    expect(await loadUserStrategies(missing)).toEqual([]);
    expect(() => readFileSync(missing)).toThrow(/ENOENT/);
  });

  it('treats a file named as the folder as no folder', async () => {
    const dir = tempDir();
    const file = join(dir, 'a-file.js');
    writeFileSync(file, 'module.exports = 1;');
    expect(await loadUserStrategies(file)).toEqual([]);
  });

  // A folder that exists but cannot be listed: two links pointing at each other (ELOOP), which stops root too,
  // where a folder without permissions would not.
  it('reports a folder it cannot read as one error, without throwing', async () => {
    const dir = tempDir();
    const looped = join(dir, 'looped');
    symlinkSync(join(dir, 'other'), looped);
    symlinkSync(looped, join(dir, 'other'));
    const results = await loadUserStrategies(looped);
    expect(results).toHaveLength(1);
    expect(results[0]!.definition).toBeUndefined();
    expect(results[0]!.error).toMatch(/^looped: the strategy folder could not be read \(.*ELOOP/);
  });

  it('loads the documented example, which trades in a backtest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'momentum.js'), docExample('js'));
    const [result] = await loadUserStrategies(dir);
    expect(result!.error).toBeUndefined();
    const definition = result!.definition!;
    expect(definition.type).toBe('my-momentum');
    const backtest = await runStrategyBacktest({
      definition,
      params: {},
      symbol: 'SYN/USD',
      bars: syntheticBars({ seed: 5, count: 300 }),
      settings: backtestSettingsSchema.parse({}),
    });
    expect(backtest.trades.length).toBeGreaterThan(0);
    expect(backtest.decisions[0]!.bar).toBeGreaterThanOrEqual(definition.warmupBars({ period: 30, lookback: 10, fraction: 0.5 }));
  }, 30_000);
});

describe('StrategyCatalog', () => {
  it('lists the built-ins, then the user strategies, then the broken files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.js'), `module.exports = ${body('good')};`);
    writeFileSync(join(dir, 'sma-cross.js'), `module.exports = ${body('sma-cross')};`);
    writeFileSync(join(dir, 'Broken File.ts'), 'export default {');
    const catalog = new StrategyCatalog(BUILTIN_STRATEGIES, dir);
    expect(catalog.entries().map((e) => e.type)).toEqual(BUILTIN_STRATEGIES.map((d) => d.type));
    await catalog.reload();
    const entries = catalog.entries();
    expect(entries.map((e) => [e.type, e.origin, e.error === null])).toEqual([
      ...BUILTIN_STRATEGIES.map((d) => [d.type, 'builtin', true]),
      ['good', 'user', true],
      ['broken-file-ts', 'user', false],
      // Named after a built-in's type by its file name, so it takes a suffix rather than hide the built-in.
      ['sma-cross-js', 'user', false],
    ]);
    const good = entries.find((e) => e.type === 'good')!;
    expect(good).toMatchObject({ name: 'User good', file: join(dir, 'good.js'), params: [{ name: 'period', default: 5 }] });
    const broken = entries.find((e) => e.type === 'broken-file-ts')!;
    expect(broken).toMatchObject({ name: 'Broken File.ts', params: [], constraints: [], file: join(dir, 'Broken File.ts') });
    expect(broken.error).toMatch(/^Broken File\.ts: syntax error/);
  });

  it('answers a definition by type, NOT_FOUND for an unknown type and VALIDATION_FAILED for a broken file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.js'), `module.exports = ${body('good')};`);
    writeFileSync(join(dir, 'bad.js'), 'module.exports = 42;');
    const catalog = new StrategyCatalog(BUILTIN_STRATEGIES, dir);
    await catalog.reload();
    expect(catalog.get('sma-cross')).toBe(BUILTIN_STRATEGIES[0]);
    expect(catalog.get('good').name).toBe('User good');
    const notFound = (() => {
      try {
        catalog.get('nope');
      } catch (error) {
        return error as KeelError;
      }
      return null;
    })();
    expect(notFound).toBeInstanceOf(KeelError);
    expect(notFound!.code).toBe('NOT_FOUND');
    expect(() => catalog.get('bad-js')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining('bad.js: Not a valid strategy') }));
  });

  it('picks up edits, new and removed files on reload', async () => {
    const dir = tempDir();
    const file = join(dir, 'mine.js');
    writeFileSync(file, `module.exports = ${body('mine')};`);
    const catalog = new StrategyCatalog(BUILTIN_STRATEGIES, dir);
    await catalog.reload();
    expect(catalog.get('mine').name).toBe('User mine');
    writeFileSync(file, `module.exports = ${body('mine').replace("name: 'User mine'", "name: 'Mine, edited'")};`);
    writeFileSync(join(dir, 'other.mjs'), `export default ${body('other')};`);
    await catalog.reload();
    expect(catalog.get('mine').name).toBe('Mine, edited');
    expect(catalog.get('other').name).toBe('User other');
    writeFileSync(join(dir, 'other.mjs'), `export default ${body('other').replace("name: 'User other'", "name: 'Other, edited'")};`);
    await catalog.reload();
    expect(catalog.get('other').name).toBe('Other, edited');
    rmSync(file);
    await catalog.reload();
    expect(() => catalog.get('mine')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('picks up an edited ES module written as .js', async () => {
    const dir = tempDir();
    const file = join(dir, 'modern.js');
    writeFileSync(file, `export default ${body('modern')};`);
    const catalog = new StrategyCatalog(BUILTIN_STRATEGIES, dir);
    await catalog.reload();
    expect(catalog.get('modern').name).toBe('User modern');
    writeFileSync(file, `export default ${body('modern').replace("name: 'User modern'", "name: 'Modern, edited'")};`);
    await catalog.reload();
    expect(catalog.get('modern').name).toBe('Modern, edited');
  });

  it('has only the built-ins without a user folder', async () => {
    const catalog = new StrategyCatalog(BUILTIN_STRATEGIES, null);
    await catalog.reload();
    expect(catalog.entries()).toHaveLength(BUILTIN_STRATEGIES.length);
  });
});
