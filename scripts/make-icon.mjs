// Draws images/icon.png (128×128): a white padlock with a green check on a dark-blue rounded square.
// Plain node (zlib for the PNG's deflate stream, 4×4 supersampling for smooth edges): no image tool needed.
//   node scripts/make-icon.mjs
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const N = 128;
const SS = 4;

const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const ring = (x, y, cx, cy, r0, r1) => {
  const d = Math.hypot(x - cx, y - cy);
  return d >= r0 && d <= r1;
};
/** Distance from (x, y) to the segment a–b. */
const seg = (x, y, ax, ay, bx, by) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};

/** The colour at a point, or undefined outside the icon. Later shapes paint over earlier ones. */
function colour(x, y) {
  if (!inRoundRect(x, y, 4, 4, 124, 124, 24)) return undefined;
  let c = [24, 52, 96]; // background
  const shackle = ring(x, y, 64, 50, 17, 27) && y <= 56;
  const legs = ((x >= 37 && x <= 47) || (x >= 81 && x <= 91)) && y >= 50 && y <= 62;
  if (shackle || legs) c = [226, 232, 240];
  if (inRoundRect(x, y, 28, 58, 100, 112, 10)) c = [248, 250, 252]; // body
  // A check mark on the body: the configuration is right.
  if (Math.min(seg(x, y, 46, 85, 58, 97), seg(x, y, 58, 97, 82, 72)) <= 5.5 && inRoundRect(x, y, 28, 58, 100, 112, 10)) c = [22, 163, 74];
  return c;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < SS; sy++)
      for (let sx = 0; sx < SS; sx++) {
        const c = colour(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a++;
      }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    if (a) {
      raw[o] = Math.round(r / a);
      raw[o + 1] = Math.round(g / a);
      raw[o + 2] = Math.round(b / a);
    }
    raw[o + 3] = Math.round((255 * a) / (SS * SS));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.mkdirSync('images', { recursive: true });
fs.writeFileSync('images/icon.png', png);
console.log(`images/icon.png: ${png.length} bytes`);
