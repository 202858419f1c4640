/**
 * Numbers as people read them, for messages written on either side of the
 * contract (the renderer's screens, the engine's refusals): thousands
 * separators in the whole part, the decimals left as they are.
 */

/** "1234567.5" -> "1,234,567.5", "-1000" -> "-1,000"; text already grouped, or not a plain number, is returned as it is. */
export function groupThousands(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '', fraction] = body.split('.');
  if (!/^\d+$/.test(whole)) return text;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}
