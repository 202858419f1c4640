#!/usr/bin/env node
// Draws resources/icon.png (512x512): an amber sailing hull with its keel
// below the waterline on a dark rounded square. Only Node built-ins (see
// raster.mjs). The tray icons are drawn by generate-tray-icons.mjs.
//   node scripts/generate-icon.mjs [output.png]
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ellipse, encodePng, hex, over, polygon, rasterize, rect, roundedRect } from './raster.mjs';

const SIZE = 512;
const SAMPLES = 4;
const out = process.argv[2] ?? join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'resources', 'icon.png');

const WATERLINE = 300;
const background = roundedRect(32, 32, 480, 480, 100);
// Painter's order: later layers cover earlier ones.
const layers = [
  { shape: rect(76, WATERLINE - 2, 436, WATERLINE + 2), color: hex('#3a4866') },
  { shape: polygon([[262, 96], [262, 244], [376, 244]]), color: hex('#ffc45a', 0.92) },
  { shape: polygon([[244, 122], [244, 244], [168, 244]]), color: hex('#f5a524', 0.55) },
  { shape: rect(248, 88, 258, 262), color: hex('#f5a524') },
  // Hull: raked bow to the right, short stern to the left; the part below the waterline is darker.
  { shape: polygon([[116, 258], [424, 258], [368, 316], [136, 316]]), color: hex('#f5a524'), below: hex('#c47f16') },
  { shape: polygon([[244, 314], [288, 314], [276, 386], [258, 386]]), color: hex('#c47f16') },
  { shape: ellipse(262, 390, 38, 11), color: hex('#c47f16') },
];

function backgroundColor(y) {
  const t = (y - 32) / 448;
  const top = hex('#1b2335');
  const bottom = hex('#0b0e14');
  return [0, 1, 2].map((i) => top[i] + (bottom[i] - top[i]) * t).concat(1);
}

const rgba = rasterize(SIZE, SIZE, SAMPLES, (x, y) => {
  if (!background(x, y)) return null;
  let c = backgroundColor(y);
  for (const layer of layers) {
    if (layer.shape(x, y)) c = over(c, layer.below && y > WATERLINE ? layer.below : layer.color);
  }
  return c;
});
const png = encodePng(SIZE, SIZE, rgba);
writeFileSync(out, png);
console.log(`wrote ${out} (${SIZE}x${SIZE}, ${png.length} bytes)`);
