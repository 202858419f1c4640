#!/usr/bin/env node
// Makes better-sqlite3's native binding match the runtime about to load it.
// The binding is compiled for exactly one ABI: Node's (tests, the headless
// host, benchmarks) or Electron's (the desktop app, packaging).
//
//   node scripts/native-abi.mjs node      build for this Node if needed (from source, ~80 s)
//   node scripts/native-abi.mjs electron  build for the installed Electron via electron-builder install-app-deps
//
// A probe in a child process is the authority on whether the binding loads; a
// marker file (node_modules/.keel-abi) records what it was last verified for,
// so an unchanged binding is not probed or rebuilt again.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const markerPath = join(root, 'node_modules', '.keel-abi');
const isWindows = process.platform === 'win32';

const PROBE = `
const Database = require('better-sqlite3');
const db = new Database(':memory:');
db.prepare('select 1').get();
db.close();
process.stdout.write(JSON.stringify({ modules: process.versions.modules, electron: process.versions.electron ?? null }));
`;

function say(message) {
  console.log(`[native-abi] ${message}`);
}

function fail(message) {
  console.error(`[native-abi] ${message}`);
  process.exit(1);
}

function bindingPath() {
  const require = createRequire(join(root, 'package.json'));
  let pkg;
  try {
    pkg = require.resolve('better-sqlite3/package.json');
  } catch {
    fail('better-sqlite3 is not installed. Run the install command from the README first.');
  }
  return join(dirname(pkg), 'build', 'Release', 'better_sqlite3.node');
}

function bindingMtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(markerPath, 'utf8'));
  } catch {
    return null;
  }
}

function writeMarker(runtime, modules, version, binding) {
  const marker = { runtime, modules, version, bindingMtimeMs: bindingMtime(binding), verifiedAt: new Date().toISOString() };
  writeFileSync(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
}

function markerSaysReady(runtime, modules, binding) {
  const marker = readMarker();
  const mtime = bindingMtime(binding);
  return (
    marker !== null &&
    marker.runtime === runtime &&
    marker.modules === modules &&
    mtime !== null &&
    marker.bindingMtimeMs === mtime
  );
}

/** Loads better-sqlite3 in a fresh process of `executable`; a failed dlopen must not poison this process. */
function probe(executable, extraEnv = {}) {
  const result = spawnSync(executable, ['-e', PROBE], {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) return { ok: false, detail: result.error.message };
  if (result.status === 0) {
    try {
      return { ok: true, info: JSON.parse(result.stdout) };
    } catch {
      return { ok: false, detail: `unexpected probe output: ${result.stdout.slice(0, 200)}` };
    }
  }
  return { ok: false, detail: `${result.stderr || result.stdout}`.trim() };
}

/** An ABI mismatch or a missing, corrupt or foreign binary: a rebuild fixes these. */
function isRebuildable(detail) {
  return /NODE_MODULE_VERSION|compiled against a different Node\.js version|Could not locate the bindings file|invalid ELF header|wrong ELF class|file too short|cannot read file data|not a valid Win32 application|mach-o|incompatible architecture|undefined symbol/i.test(
    detail,
  );
}

/** The line of a Node stack dump that says what went wrong. */
function reason(detail) {
  const lines = detail.split('\n').map((l) => l.trim());
  const line = lines.find((l) => /^(\w*Error|Error)\b|NODE_MODULE_VERSION|Could not locate/.test(l)) ?? lines[0] ?? '';
  return line.length > 400 ? `${line.slice(0, 400)}...` : line;
}

function run(command, args, env = {}, { replaceEnv = false } = {}) {
  say(`$ ${[command === process.execPath ? 'node' : command, ...args.map((a) => a.replace(`${root}/`, ''))].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    env: replaceEnv ? env : { ...process.env, ...env },
    stdio: 'inherit',
    // npm is npm.cmd on Windows and needs a shell; node itself does not.
    shell: isWindows && command !== process.execPath,
  });
  if (result.error) return { ok: false, detail: result.error.message };
  return { ok: result.status === 0, detail: `exit code ${result.status}` };
}

function forNode() {
  const binding = bindingPath();
  const modules = process.versions.modules;
  if (markerSaysReady('node', modules, binding)) {
    say(`better-sqlite3 already built for Node ${process.versions.node} (ABI ${modules}).`);
    return;
  }
  let result = probe(process.execPath);
  if (!result.ok) {
    if (!isRebuildable(result.detail)) {
      fail(`better-sqlite3 does not load in Node ${process.versions.node}, and a rebuild would not fix it:\n  ${reason(result.detail)}`);
    }
    say(`better-sqlite3 is not built for Node ${process.versions.node} (ABI ${modules}):`);
    say(`  ${reason(result.detail)}`);
    say('Rebuilding it from source for this Node; this compiles SQLite and takes about 80 seconds...');
    const rebuilt = run('npm', ['rebuild', 'better-sqlite3'], { npm_config_build_from_source: 'true' });
    if (!rebuilt.ok) {
      fail(`npm rebuild better-sqlite3 failed (${rebuilt.detail}). A C++ toolchain (make, g++, python3) is needed to build it.`);
    }
    result = probe(process.execPath);
    if (!result.ok) fail(`better-sqlite3 still does not load in Node after the rebuild:\n  ${reason(result.detail)}`);
  }
  writeMarker('node', modules, process.versions.node, binding);
  say(`better-sqlite3 is ready for Node ${process.versions.node} (ABI ${modules}).`);
}

function electronBinary() {
  const electronDir = join(root, 'node_modules', 'electron');
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function forElectron() {
  const binding = bindingPath();
  const executable = electronBinary();
  const version = electronVersion();
  if (executable === null) {
    fail(
      [
        `The desktop app needs the Electron ${version} binary, and it is not installed`,
        '(node_modules/electron/path.txt or node_modules/electron/dist is missing).',
        'It is skipped when installing with ELECTRON_SKIP_BINARY_DOWNLOAD=1. Reinstall without that variable',
        '(or run `node node_modules/electron/install.js`) on a machine that can download it.',
        'Without Electron, `npm run serve` runs the same app in a browser.',
      ].join('\n  '),
    );
  }
  // Running Electron as Node loads the binding with Electron's ABI, no display needed.
  const asNode = { ELECTRON_RUN_AS_NODE: '1' };
  const marker = readMarker();
  if (marker?.runtime === 'electron' && marker.version === version && markerSaysReady('electron', marker.modules, binding)) {
    say(`better-sqlite3 already built for Electron ${version} (ABI ${marker.modules}).`);
    return;
  }
  let result = probe(executable, asNode);
  if (!result.ok) {
    if (!isRebuildable(result.detail)) {
      fail(`better-sqlite3 does not load in Electron ${version}, and a rebuild would not fix it:\n  ${reason(result.detail)}`);
    }
    say(`better-sqlite3 is not built for Electron ${version}:`);
    say(`  ${reason(result.detail)}`);
    say('Rebuilding it with electron-builder install-app-deps.');
    say("This downloads Electron's headers from electronjs.org and compiles SQLite (a minute or two)...");
    const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
    if (!existsSync(cli)) fail('electron-builder is not installed; run the install command from the README.');
    // A `nodedir` from npm config (exported as npm_config_nodedir to npm
    // scripts) would make node-gyp compile against Node's headers instead of
    // Electron's.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
    const rebuilt = run(process.execPath, [cli, 'install-app-deps'], env, { replaceEnv: true });
    if (!rebuilt.ok) {
      fail(
        [
          `Could not rebuild better-sqlite3 for Electron ${version} (${rebuilt.detail}).`,
          "The usual cause is that Electron's headers could not be downloaded (no network, or a proxy);",
          'see the output above. The desktop app cannot start until this succeeds.',
          'Tests and the headless host are unaffected: they use the Node build (`node scripts/native-abi.mjs node`).',
        ].join('\n  '),
      );
    }
    result = probe(executable, asNode);
    if (!result.ok) fail(`better-sqlite3 still does not load in Electron after the rebuild:\n  ${reason(result.detail)}`);
  }
  writeMarker('electron', result.info.modules, version, binding);
  say(`better-sqlite3 is ready for Electron ${version} (ABI ${result.info.modules}).`);
}

const mode = process.argv[2];
if (mode === 'node') forNode();
else if (mode === 'electron') forElectron();
else fail('usage: node scripts/native-abi.mjs node|electron');
