/**
 * A stable 64-bit FNV-1a hash of text (UTF-8), as 16 hex digits. Pure, so the
 * same feature set hashes the same in the main process, a worker or a test.
 * An identity check for the model registry, not a cryptographic digest.
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

export function fnv1a64(text: string): string {
  let h = OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * PRIME) & MASK;
  }
  return h.toString(16).padStart(16, '0');
}
