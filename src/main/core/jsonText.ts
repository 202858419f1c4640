/**
 * JSON text for a stored body, refusing any value JSON would quietly change:
 * NaN and ±Infinity (written as null), undefined in an array (null), objects
 * with a toJSON of their own (a Date comes back as a string), Maps, Sets and
 * other class instances (an empty object), functions and symbols (dropped),
 * bigints and cycles. What is stored is then exactly what a reader gets back,
 * so a journal never loses part of a body without anyone noticing. Two
 * changes are allowed because they change no meaning: an undefined object
 * property reads back as absent (what optional fields mean), and -0 as 0.
 */
import { KeelError, errorText } from '../../shared/errors';

export function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // A cycle or a bigint: JSON.stringify cannot write it at all.
    throw new KeelError('VALIDATION_FAILED', `${what} cannot be stored as JSON: ${errorText(error)}`);
  }
  if (text === undefined) throw new KeelError('VALIDATION_FAILED', `${what} has no JSON form (${typeof value})`);
  // Checked after stringify succeeded, so the walk cannot meet a cycle.
  const fault = jsonFault(value, '');
  if (fault !== null) throw new KeelError('VALIDATION_FAILED', `${what} cannot be stored as JSON: ${fault}`);
  return text;
}

/** The first value JSON would not carry faithfully, described with its path; null when there is none. */
function jsonFault(value: unknown, path: string): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${at(path)} is ${value}`;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) return `${at(`${path}[${i}]`)} is undefined`;
          const fault = jsonFault(item, `${path}[${i}]`);
          if (fault !== null) return fault;
        }
        return null;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return `${at(path)} is a ${describeClass(value)}, not a plain object`;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return `${at(path)} has its own toJSON`;
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        const fault = jsonFault(item, path === '' ? key : `${path}.${key}`);
        if (fault !== null) return fault;
      }
      return null;
    }
    default:
      // undefined at the top is caught by the caller; here it is a function, symbol or bigint.
      return `${at(path)} is a ${typeof value}`;
  }
}

function at(path: string): string {
  return path === '' ? 'the value' : path;
}

function describeClass(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'class instance';
}

/** Parses a stored body, naming what could not be read instead of throwing a bare SyntaxError. */
export function parseJsonText<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new KeelError('INTERNAL', `Stored ${what} is unreadable: ${errorText(error)}`);
  }
}
