/**
 * Reads electron-builder.yml the way electron-builder does: parsed with the
 * YAML library it uses and checked against the schema of the installed
 * app-builder-lib, so a misspelt or unknown option fails a test instead of a
 * release build.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const fromBuilder = createRequire(createRequire(join(ROOT, 'package.json')).resolve('electron-builder/package.json'));
const fromLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));

const yaml = fromLib('js-yaml') as { load(text: string): unknown };
const config = fromBuilder('app-builder-lib/out/util/config/config') as {
  validateConfiguration(configuration: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};

interface JsonSchemaObject {
  properties?: Record<string, { type?: string }>;
  additionalProperties?: boolean;
}

export type BuilderConfig = Record<string, unknown>;

export function loadBuilderConfig(): BuilderConfig {
  const parsed = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('electron-builder.yml is not a mapping');
  return parsed as BuilderConfig;
}

/** electron-builder's own validation of a whole configuration; rejects with its message. */
export function validateBuilderConfig(configuration: BuilderConfig): Promise<void> {
  return config.validateConfiguration(configuration, { isEnabled: false, add: () => undefined });
}

/** The fuse options app-builder-lib's schema knows, with their JSON types. */
export function knownFuseOptions(): { properties: Record<string, string | undefined>; closed: boolean } {
  const scheme = JSON.parse(readFileSync(fromBuilder.resolve('app-builder-lib/scheme.json'), 'utf8')) as {
    definitions: Record<string, JsonSchemaObject>;
  };
  const fuses = scheme.definitions.FuseOptionsV1;
  if (!fuses?.properties) throw new Error('app-builder-lib/scheme.json has no FuseOptionsV1 definition');
  return {
    properties: Object.fromEntries(Object.entries(fuses.properties).map(([name, spec]) => [name, spec.type])),
    closed: fuses.additionalProperties === false,
  };
}
