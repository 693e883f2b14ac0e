// Encodes each raw RGB(A) thumbnail written by WebpBenchmark (name.rgb + name.json) with sharp's WebP at
// quality 80 (effort 4 = libwebp method 4, sharp's default), writes name.sharp.webp, and prints the median
// CPU ms of the encode. sharp comes from SHARP_DIR (see sharp-install.sh).
const path = require('path');
const fs = require('fs');
const sharp = require(path.join(process.env.SHARP_DIR, 'node_modules', 'sharp'));
sharp.concurrency(1);
sharp.cache(false);
const dir = process.argv[2];
(async () => {
  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, libwebp ${sharp.versions.webp || '?'}`);
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
    const name = file.slice(0, -5);
    const raw = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const pixels = fs.readFileSync(path.join(dir, name + '.rgb'));
    const encode = () => sharp(pixels, {raw}).webp({quality: 80, effort: 4}).toBuffer();
    let out;
    for (let i = 0; i < 10; i++) out = await encode();
    const times = [];
    for (let i = 0; i < 30; i++) {
      const start = process.cpuUsage();
      out = await encode();
      const used = process.cpuUsage(start);
      times.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    fs.writeFileSync(path.join(dir, name + '.sharp.webp'), out);
    console.log(`${name.padEnd(32)} sharp webp q80 ${String(out.length).padStart(7)} B, cpu ${times[15].toFixed(2)} ms`);
  }
})();
