/**
 * Short generated tones for fills and triggered stops (Web Audio: nothing
 * to download or ship). A buy fill rises, a sell fill falls, a trigger is two
 * quick beeps, an alert a slower falling pair, so the ear tells them apart
 * without looking. The audio
 * context is made on first use and kept; a context the browser started
 * suspended (no gesture yet) is resumed, which works once the trader has
 * clicked anywhere.
 */

export type ToneKind = 'buy' | 'sell' | 'trigger' | 'alert';

/** Notes as [frequency Hz, start s, duration s]. */
export const TONES: Record<ToneKind, readonly (readonly [number, number, number])[]> = {
  buy: [
    [660, 0, 0.09],
    [880, 0.09, 0.12],
  ],
  sell: [
    [880, 0, 0.09],
    [660, 0.09, 0.12],
  ],
  trigger: [
    [990, 0, 0.07],
    [990, 0.12, 0.07],
  ],
  // An alert (a price alert, a risk breach, a lost venue...): a longer falling third, unlike any fill.
  alert: [
    [740, 0, 0.14],
    [587, 0.16, 0.2],
  ],
};

const VOLUME = 0.12;

let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctor) return null;
  context = new Ctor();
  return context;
}

export function playTone(kind: ToneKind): void {
  const ctx = audioContext();
  if (!ctx) return;
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  const now = ctx.currentTime;
  for (const [frequency, start, duration] of TONES[kind]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    // A soft attack and release: no click at either end.
    gain.gain.setValueAtTime(0, now + start);
    gain.gain.linearRampToValueAtTime(VOLUME, now + start + 0.01);
    gain.gain.linearRampToValueAtTime(0, now + start + duration);
    osc.connect(gain).connect(ctx.destination);
    osc.start(now + start);
    osc.stop(now + start + duration + 0.02);
  }
}
