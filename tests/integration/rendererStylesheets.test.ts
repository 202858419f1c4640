/**
 * Every stylesheet of the renderer closes each block it opens. The build
 * bundles them into one file and does not refuse an unclosed rule: the
 * browser then reads every later rule as nested inside it, and the whole
 * workstation after that point loses its styles.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../src/renderer');

function stylesheets(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return stylesheets(path);
    return entry.name.endsWith('.css') ? [path] : [];
  });
}

/** Where the braces of a stylesheet go wrong (comments and strings skipped), or null when every block is closed. */
function braceProblem(css: string): string | null {
  const open: number[] = [];
  let line = 1;
  for (let i = 0; i < css.length; i++) {
    const ch = css[i]!;
    if (ch === '\n') line++;
    else if (ch === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      if (end < 0) return `comment opened on line ${line} is never closed`;
      line += css.slice(i, end).split('\n').length - 1;
      i = end + 1;
    } else if (ch === '"' || ch === "'") {
      const end = css.indexOf(ch, i + 1);
      if (end < 0) return `string opened on line ${line} is never closed`;
      i = end;
    } else if (ch === '{') open.push(line);
    else if (ch === '}' && open.pop() === undefined) return `"}" on line ${line} closes nothing`;
  }
  return open.length > 0 ? `block opened on line ${open[open.length - 1]} is never closed` : null;
}

describe('the renderer stylesheets', () => {
  it('finds an unclosed block, a stray brace and an unclosed comment, and passes a well-formed sheet', () => {
    expect(braceProblem('.a {\n  width: 1px;\n/* next */\n.b { color: red; }\n')).toBe('block opened on line 1 is never closed');
    expect(braceProblem('.a { width: 1px; }\n}\n')).toBe('"}" on line 2 closes nothing');
    expect(braceProblem('.a { width: 1px; }\n/* open')).toBe('comment opened on line 2 is never closed');
    expect(braceProblem(".a { content: '{'; }\n/* { */\n@media (min-width: 1px) { .b { color: red; } }\n")).toBeNull();
  });

  it('close every block they open', () => {
    const files = stylesheets(ROOT);
    expect(files.length).toBeGreaterThan(0);
    const problems = files.map((f) => ({ file: relative(ROOT, f), problem: braceProblem(readFileSync(f, 'utf8')) })).filter((p) => p.problem !== null);
    expect(problems).toEqual([]);
  });
});
