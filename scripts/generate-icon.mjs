#!/usr/bin/env node
// Draws resources/icon.png (512x512): an amber sailing hull with its keel
// below the waterline on a dark rounded square. Only Node built-ins: shapes
// are rasterised with 4x4 supersampling and written as an RGBA PNG via zlib.
//   node scripts/generate-icon.mjs [output.png]
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4;
const out = process.argv[2] ?? join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'resources', 'icon.png');

const hex = (h, a = 1) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), a];

function roundedRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

function polygon(points) {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i];
      const [xj, yj] = points[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

function ellipse(cx, cy, rx, ry) {
  return (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
}

function rect(x0, y0, x1, y1) {
  return (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

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

function over(dst, [r, g, b, a]) {
  return [r * a + dst[0] * (1 - a), g * a + dst[1] * (1 - a), b * a + dst[2] * (1 - a), a + dst[3] * (1 - a)];
}

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  const row = py * (SIZE * 4 + 1);
  pixels[row] = 0; // PNG filter: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const x = px + (sx + 0.5) / SAMPLES;
        const y = py + (sy + 0.5) / SAMPLES;
        if (!background(x, y)) continue;
        let c = backgroundColor(y);
        for (const layer of layers) {
          if (layer.shape(x, y)) c = over(c, layer.below && y > WATERLINE ? layer.below : layer.color);
        }
        // Accumulate premultiplied so the anti-aliased edge has no dark fringe.
        acc[0] += c[0] * c[3];
        acc[1] += c[1] * c[3];
        acc[2] += c[2] * c[3];
        acc[3] += c[3];
      }
    }
    const n = SAMPLES * SAMPLES;
    const alpha = acc[3] / n;
    const o = row + 1 + px * 4;
    pixels[o] = alpha > 0 ? Math.round(acc[0] / acc[3]) : 0;
    pixels[o + 1] = alpha > 0 ? Math.round(acc[1] / acc[3]) : 0;
    pixels[o + 2] = alpha > 0 ? Math.round(acc[2] / acc[3]) : 0;
    pixels[o + 3] = Math.round(alpha * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`wrote ${out} (${SIZE}x${SIZE}, ${png.length} bytes)`);
