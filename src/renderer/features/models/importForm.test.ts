import { describe, expect, it } from 'vitest';
import { buildImportRequest, DEFAULT_IMPORT_FORM, featureNamesFromCsv, foreignFeatures, readFeatureNames, readGoldenRows, toBase64 } from './importForm';

const MODEL = { fileName: 'm.onnx', base64: 'AAEC' };

describe('the ONNX import form', () => {
  it('reads feature names in order, however they are separated, and refuses none or a repeat', () => {
    expect(readFeatureNames('ret_1, rsi_14;\n"volume_z_20"  atr_14_norm')).toEqual({ ok: true, names: ['ret_1', 'rsi_14', 'volume_z_20', 'atr_14_norm'] });
    expect(readFeatureNames(' ,\n')).toMatchObject({ ok: false, error: expect.stringMatching(/Name the model's features/) });
    expect(readFeatureNames('a, b, a')).toEqual({ ok: false, error: 'Feature "a" is named twice' });
    expect(foreignFeatures(['ret_1', 'spread_bps', 'rsi_14'])).toEqual(['spread_bps']);
  });

  it('takes feature names from a features CSV header (a time column left out) or a list, one per line', () => {
    expect(featureNamesFromCsv('time,ret_1,rsi_14\n1,0.1,50\n')).toEqual({ ok: true, names: ['ret_1', 'rsi_14'] });
    expect(featureNamesFromCsv('ret_1;rsi_14\n0,1')).toEqual({ ok: true, names: ['ret_1', 'rsi_14'] });
    expect(featureNamesFromCsv('ret_1\nrsi_14\n')).toEqual({ ok: true, names: ['ret_1', 'rsi_14'] });
    expect(featureNamesFromCsv('')).toEqual({ ok: false, error: 'The file is empty' });
  });

  it('reads golden rows: feature columns by name in any order, the other columns the expected outputs in file order', () => {
    const read = readGoldenRows('p_long,rsi_14,p_short,ret_1,p_neutral\n0.7,55,0.2,0.01,0.1\n0.1,45,0.8,-0.02,0.1\n', ['ret_1', 'rsi_14']);
    expect(read).toEqual({
      ok: true,
      rows: [
        { input: [0.01, 55], expected: [0.7, 0.2, 0.1] },
        { input: [-0.02, 45], expected: [0.1, 0.8, 0.1] },
      ],
    });
    expect(readGoldenRows('ret_1,p\n0.1,0.5', ['ret_1', 'rsi_14'])).toEqual({ ok: false, error: 'Golden rows: no column for feature rsi_14 (row 1)' });
    expect(readGoldenRows('ret_1,p\n0.1,abc', ['ret_1'])).toEqual({ ok: false, error: 'Golden rows: row 2, column p: "abc" is not a number' });
    expect(readGoldenRows('ret_1,p\n0.1', ['ret_1'])).toEqual({ ok: false, error: 'Golden rows: row 2 has 1 values; the header names 2' });
    expect(readGoldenRows('ret_1\n0.1', ['ret_1'])).toMatchObject({ ok: false, error: expect.stringMatching(/no expected output column/) });
  });

  it('builds the request the contract takes, the threshold from percent, or names every field at fault', () => {
    const built = buildImportRequest({ ...DEFAULT_IMPORT_FORM, name: ' zz ', features: 'ret_1 rsi_14', horizon: '3', thresholdPct: '0.1' }, MODEL, { fileName: 'g.csv', csv: 'ret_1,rsi_14,a,b,c\n0,50,0.2,0.3,0.5' });
    expect(built).toEqual({
      ok: true,
      request: { name: 'zz', onnxBase64: 'AAEC', features: ['ret_1', 'rsi_14'], target: { kind: 'direction', horizon: 3, threshold: 0.001 }, goldenRows: [{ input: [0, 50], expected: [0.2, 0.3, 0.5] }] },
    });
    expect(buildImportRequest({ ...DEFAULT_IMPORT_FORM, name: 'r', features: 'x', targetKind: 'return', horizon: '2' }, MODEL, null)).toMatchObject({ ok: true, request: { target: { kind: 'return', horizon: 2 } } });
    expect(buildImportRequest({ ...DEFAULT_IMPORT_FORM, horizon: '0' }, null, { fileName: 'g.csv', csv: '' })).toEqual({
      ok: false,
      errors: { name: 'Name is required', model: 'Choose the .onnx file', features: expect.stringMatching(/Name the model's features/), horizon: 'Horizon must be a whole number from 1 to 10,000' },
    });
  });

  it('takes a maximum age in hours or days, none when blank, and refuses one that is not above 0', () => {
    const base = { ...DEFAULT_IMPORT_FORM, name: 'm', features: 'ret_1' };
    expect(buildImportRequest({ ...base, maxAge: '36', maxAgeUnit: 'hours' }, MODEL, null)).toMatchObject({ ok: true, request: { maxAgeMs: 36 * 3_600_000 } });
    expect(buildImportRequest({ ...base, maxAge: '1.5', maxAgeUnit: 'days' }, MODEL, null)).toMatchObject({ ok: true, request: { maxAgeMs: 129_600_000 } });
    const never = buildImportRequest({ ...base, maxAge: '  ' }, MODEL, null);
    expect(never).toMatchObject({ ok: true });
    expect(never).not.toHaveProperty('request.maxAgeMs');
    for (const bad of ['0', '-2', 'soon']) {
      expect(buildImportRequest({ ...base, maxAge: bad }, MODEL, null)).toEqual({ ok: false, errors: { maxAge: 'Maximum age must be a number above 0, or blank for none' } });
    }
  });

  it('encodes a file\'s bytes as base64', () => {
    expect(toBase64(new Uint8Array([0, 1, 2, 250]))).toBe(Buffer.from([0, 1, 2, 250]).toString('base64'));
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });
});
