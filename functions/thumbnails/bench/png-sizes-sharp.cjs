// sharp's side of png-speed.sh: each PNG given, fit inside each box (no enlargement), PNG out with sharp's defaults
// (compressionLevel 6, no adaptive filtering), one libvips thread, no cache - as sharp-bench.cjs. Prints JSON lines
// {"file","box","median_ms","median_cpu_ms","out_bytes"}.
// Usage: SHARP_DIR=<folder with node_modules/sharp> node png-sizes-sharp.cjs <boxes e.g. 400x300,800x600> <file>...
'use strict';
const fs = require('fs');
const path = require('path');
const sharp = require(path.join(process.env.SHARP_DIR || '.', 'node_modules', 'sharp'));

sharp.concurrency(1);
sharp.cache(false);

const iterations = Number(process.env.BENCH_ITERATIONS || 15);
const warmup = Number(process.env.BENCH_WARMUP || 5);
const boxes = process.argv[2].split(',').map((b) => b.split('x').map(Number));

function thumbnail(buffer, w, h) {
  return sharp(buffer, { failOn: 'error' }).rotate()
    .resize(w, h, { fit: 'inside', withoutEnlargement: true }).png().toBuffer();
}

(async () => {
  for (const file of process.argv.slice(3)) {
    const buffer = fs.readFileSync(file);
    for (const [w, h] of boxes) {
      let out;
      for (let i = 0; i < warmup; i++) out = await thumbnail(buffer, w, h);
      const times = [];
      const cpu = [];
      for (let i = 0; i < iterations; i++) {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        out = await thumbnail(buffer, w, h);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1e3);
      }
      times.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      console.log(JSON.stringify({ file: path.basename(file), box: `${w}x${h}`,
        median_ms: +times[iterations >> 1].toFixed(2), median_cpu_ms: +cpu[iterations >> 1].toFixed(2),
        out_bytes: out.length }));
    }
  }
})();
