/**
 * The ONNX import form's model: the feature names typed (or read from a
 * CSV's header), the golden rows read from a CSV, the target, turned into
 * a `models.import` request, with the maximum age past which it is not
 * used for new decisions. Every part is checked here and named where it
 * is wrong; what only the model can tell (its input's name, shape and type,
 * whether the golden rows match its answers) is the engine's to refuse, and
 * its words are shown as they come. The request is checked again with the
 * contract's own schema before it is sent.
 */
import { importModelParamsSchema, MAX_ONNX_BASE64_CHARS, type ImportModelParams } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import { KEEL_FEATURE_NAMES } from '../../../shared/featureNames';
import { readNumber } from '../strategies/paramForm';
import { readMaxAge, type MaxAgeUnit } from './maxAge';

export type ImportTargetKind = 'direction' | 'return';

export interface ImportFormText {
  name: string;
  /** Names separated by commas, semicolons, spaces or new lines, in the model's input column order. */
  features: string;
  targetKind: ImportTargetKind;
  horizon: string;
  /** Percent, as the train form takes it. */
  thresholdPct: string;
  /** Blank: the model never expires. */
  maxAge: string;
  maxAgeUnit: MaxAgeUnit;
}

export const DEFAULT_IMPORT_FORM: ImportFormText = { name: '', features: '', targetKind: 'direction', horizon: '1', thresholdPct: '0', maxAge: '', maxAgeUnit: 'days' };

export type ImportField = 'name' | 'features' | 'horizon' | 'thresholdPct' | 'maxAge' | 'model' | 'goldenRows';
export type ImportFormErrors = Partial<Record<ImportField, string>>;

export interface GoldenRowsFile {
  fileName: string;
  csv: string;
}

export interface ModelFile {
  fileName: string;
  base64: string;
}

/** The feature names typed, in order; an empty or repeated name is refused. */
export function readFeatureNames(text: string): { ok: true; names: string[] } | { ok: false; error: string } {
  const names = text
    .split(/[\s,;]+/)
    .map((n) => n.trim().replace(/^"(.*)"$/, '$1'))
    .filter((n) => n !== '');
  if (names.length === 0) return { ok: false, error: 'Name the model\'s features, in its input column order' };
  const long = names.find((n) => n.length > 80);
  if (long) return { ok: false, error: `Feature name "${long.slice(0, 20)}…" is longer than 80 characters` };
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return { ok: false, error: `Feature "${n}" is named twice` };
    seen.add(n);
  }
  return { ok: true, names };
}

/** Names among `names` that Keel's pipeline does not compute: such a model scores a features file, not bars or a strategy. */
export function foreignFeatures(names: readonly string[]): string[] {
  return names.filter((n) => !KEEL_FEATURE_NAMES.includes(n));
}

function cells(line: string): string[] {
  const separator = line.includes(';') && !line.includes(',') ? ';' : ',';
  return line.split(separator).map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
}

function lines(csv: string): string[] {
  return csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
}

/**
 * Feature names from a features CSV: its header's columns (a time column first is left out) when it has
 * several, otherwise the first column of every line (a list, one name per line).
 */
export function featureNamesFromCsv(csv: string): { ok: true; names: string[] } | { ok: false; error: string } {
  const all = lines(csv);
  if (all.length === 0) return { ok: false, error: 'The file is empty' };
  const header = cells(all[0]!);
  const names = header.length > 1 ? header.filter((c, i) => !(i === 0 && /^(time|date|datetime|timestamp|)$/i.test(c))) : all.map((l) => cells(l)[0]!);
  return readFeatureNames(names.join('\n'));
}

/**
 * Golden rows from a CSV: a header, then one row per example. A column named as a feature is that
 * input (in any order); every other column is an expected output, in the file's order (the class
 * probabilities, or the one value). Rows are numbered as in the file, the header being row 1.
 */
export function readGoldenRows(csv: string, features: readonly string[]): { ok: true; rows: NonNullable<ImportModelParams['goldenRows']> } | { ok: false; error: string } {
  const all = lines(csv);
  if (all.length < 2) return { ok: false, error: 'Golden rows: the file needs a header and at least one row' };
  const header = cells(all[0]!);
  const missing = features.filter((f) => !header.includes(f));
  if (missing.length > 0) return { ok: false, error: `Golden rows: no column for feature${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (row 1)` };
  const inputs = features.map((f) => header.indexOf(f));
  const outputs = header.map((_, i) => i).filter((i) => !inputs.includes(i));
  if (outputs.length === 0) return { ok: false, error: 'Golden rows: no expected output column (every column is a feature)' };
  if (all.length - 1 > 100) return { ok: false, error: `Golden rows: at most 100 rows; the file has ${all.length - 1}` };
  const rows: NonNullable<ImportModelParams['goldenRows']> = [];
  for (let r = 1; r < all.length; r++) {
    const values = cells(all[r]!);
    if (values.length !== header.length) return { ok: false, error: `Golden rows: row ${r + 1} has ${values.length} values; the header names ${header.length}` };
    const numbers = values.map((v) => readNumber(v));
    const bad = numbers.findIndex((n) => n === null);
    if (bad >= 0) return { ok: false, error: `Golden rows: row ${r + 1}, column ${header[bad] || bad + 1}: "${values[bad]}" is not a number` };
    rows.push({ input: inputs.map((i) => numbers[i]!), expected: outputs.map((i) => numbers[i]!) });
  }
  return { ok: true, rows };
}

/** Base64 of a file's bytes, in chunks (a large model would overflow one call's arguments). */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Checks the form and builds the request; the errors name each field at fault. */
export function buildImportRequest(
  t: ImportFormText,
  model: ModelFile | null,
  golden: GoldenRowsFile | null,
): { ok: true; request: ImportModelParams } | { ok: false; errors: ImportFormErrors } {
  const errors: ImportFormErrors = {};
  const name = t.name.trim();
  if (name === '') errors.name = 'Name is required';
  else if (name.length > 80) errors.name = 'Name must be at most 80 characters';
  if (!model) errors.model = 'Choose the .onnx file';
  else if (model.base64.length === 0) errors.model = `${model.fileName} is empty`;
  else if (model.base64.length > MAX_ONNX_BASE64_CHARS) errors.model = `${model.fileName} is too large (at most about 48 MB)`;
  const features = readFeatureNames(t.features);
  if (!features.ok) errors.features = features.error;

  const horizon = readNumber(t.horizon);
  if (horizon === null || !Number.isInteger(horizon) || horizon < 1 || horizon > 10_000) errors.horizon = 'Horizon must be a whole number from 1 to 10,000';
  let threshold = 0;
  if (t.targetKind === 'direction') {
    const pct = readNumber(t.thresholdPct);
    if (pct === null || pct < 0 || pct > 100) errors.thresholdPct = 'Threshold must be a percentage from 0 to 100';
    else threshold = Dec.fromNumber(pct).div(Dec.fromBigInt(100n)).toNumber();
  }

  const age = readMaxAge(t.maxAge, t.maxAgeUnit);
  if (!age.ok) errors.maxAge = age.error;

  let goldenRows: ImportModelParams['goldenRows'];
  if (golden && features.ok) {
    const read = readGoldenRows(golden.csv, features.names);
    if (read.ok) goldenRows = read.rows;
    else errors.goldenRows = read.error;
  }
  if (Object.keys(errors).length > 0 || !features.ok || !model || horizon === null) return { ok: false, errors };

  const request: ImportModelParams = {
    name,
    onnxBase64: model.base64,
    features: features.names,
    target: t.targetKind === 'direction' ? { kind: 'direction', horizon, threshold } : { kind: 'return', horizon },
    ...(goldenRows ? { goldenRows } : {}),
    ...(age.ok && age.ms !== undefined ? { maxAgeMs: age.ms } : {}),
  };
  const parsed = importModelParamsSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, errors: { model: issue ? `${issue.path.map(String).join('.') || 'request'}: ${issue.message}` : 'The request is not valid' } };
  }
  return { ok: true, request: parsed.data };
}
