#!/usr/bin/env node
// Draws the tray icons: resources/tray.png (16x16) and resources/tray@2x.png
// (32x32, which Electron picks on high-DPI screens). The app icon's boat
// reduced to a solid amber silhouette on transparency (sails, mast, hull and
// keel), since fine detail and a background are lost at tray size and must
// read on light and dark panels alike. Only Node built-ins (see raster.mjs).
//   node scripts/generate-tray-icons.mjs [output-dir]
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng, hex, polygon, rasterize, rect } from './raster.mjs';

const outDir = process.argv[2] ?? join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'resources');
const AMBER = hex('#f5a524');

// Drawn on a 16-unit grid and scaled, so both sizes are the same picture.
// Edges sit on whole units where they can, so the 16 px icon stays crisp.
const shapes = [
  rect(7, 1, 8, 10), // mast
  polygon([[9, 1], [9, 9], [14.5, 9]]), // mainsail
  polygon([[6, 3], [6, 9], [2, 9]]), // jib
  polygon([[1, 10], [15, 10], [12.5, 13], [3.5, 13]]), // hull
  polygon([[6.5, 13], [9.5, 13], [8.75, 15.5], [7.25, 15.5]]), // keel
];

for (const [size, name] of [[16, 'tray.png'], [32, 'tray@2x.png']]) {
  const scale = 16 / size;
  const rgba = rasterize(size, size, 8, (x, y) => (shapes.some((inside) => inside(x * scale, y * scale)) ? AMBER : null));
  const png = encodePng(size, size, rgba);
  const out = join(outDir, name);
  writeFileSync(out, png);
  console.log(`wrote ${out} (${size}x${size}, ${png.length} bytes)`);
}
