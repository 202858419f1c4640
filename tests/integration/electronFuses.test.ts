/**
 * The Electron fuses of the packaged app: each value pinned, and every key
 * one that the installed electron-builder knows (a misspelt fuse would
 * otherwise fail only at release time, or, worse, in a way nobody notices).
 */
import { describe, expect, it } from 'vitest';
import { knownFuseOptions, loadBuilderConfig, validateBuilderConfig } from '../support/electronBuilderConfig';

const EXPECTED_FUSES: Record<string, boolean> = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  enableCookieEncryption: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  // Stays on while the window loads its module scripts from file:// (see electron-builder.yml).
  grantFileProtocolExtraPrivileges: true,
};

describe('electron-builder.yml fuses', () => {
  const config = loadBuilderConfig();
  const fuses = config.electronFuses as Record<string, unknown> | undefined;

  it('sets every fuse to its hardened value', () => {
    expect(fuses).toEqual(EXPECTED_FUSES);
  });

  it('uses only fuse options app-builder-lib knows, each a boolean', () => {
    const known = knownFuseOptions();
    expect(known.closed).toBe(true);
    for (const name of Object.keys(fuses ?? {})) {
      expect(known.properties, `unknown fuse option ${name}`).toHaveProperty(name, 'boolean');
    }
  });

  it('keeps the app in an asar archive, which onlyLoadAppFromAsar and integrity validation need', () => {
    expect(config.asar).not.toBe(false);
  });

  it("passes electron-builder's own configuration validation", async () => {
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
  });

  it('would catch a misspelt fuse', async () => {
    await expect(validateBuilderConfig({ ...config, electronFuses: { ...fuses, runAsNod: false } })).rejects.toThrow(/runAsNod/);
  });
});

describe('electron-builder.yml unpacked modules', () => {
  it('unpacks every production dependency that loads a native module or starts a binary', () => {
    const unpacked = (loadBuilderConfig().asarUnpack as string[] | undefined) ?? [];
    // better-sqlite3, keytar and onnxruntime-node load .node addons (onnxruntime's loads libonnxruntime
    // next to it); esbuild (TypeScript strategy files) starts its platform binary.
    for (const name of ['better-sqlite3', 'keytar', 'esbuild', '@esbuild', 'onnxruntime-node']) expect(unpacked).toContain(`**/node_modules/${name}/**`);
  });

  it("leaves the other platforms' onnxruntime binaries out of each platform's build", () => {
    const config = loadBuilderConfig();
    const others: Record<string, string> = { linux: '{darwin,win32}', mac: '{linux,win32}', win: '{darwin,linux}' };
    for (const [platform, excluded] of Object.entries(others)) {
      const files = ((config[platform] as { files?: string[] } | undefined)?.files ?? []);
      expect(files, platform).toContain(`!**/node_modules/onnxruntime-node/bin/napi-v6/${excluded}/**`);
    }
  });
});
