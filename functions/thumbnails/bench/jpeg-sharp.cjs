// Encodes each raw RGB image written by JpegEncodeBenchmark (WxH.rgb + WxH.json) with sharp's JPEG at quality 80
// (sharp's defaults: 4:2:0, optimised Huffman coding, baseline, no mozjpeg), writes WxH.sharp.jpg and the median
// CPU ms of one encode to WxH.sharp.txt. sharp comes from SHARP_DIR (see sharp-install.sh).
const path = require('path');
const fs = require('fs');
const sharp = require(path.join(process.env.SHARP_DIR, 'node_modules', 'sharp'));
sharp.concurrency(1);
sharp.cache(false);
const dir = process.argv[2];
(async () => {
  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, libjpeg-turbo ${sharp.versions.jpeg || '?'}`);
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
    const name = file.slice(0, -5);
    const raw = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const pixels = fs.readFileSync(path.join(dir, name + '.rgb'));
    const encode = () => sharp(pixels, {raw}).jpeg({quality: 80}).toBuffer();
    let out;
    // warm-up as the Java side: at least 20 runs and half a second
    const warm = process.hrtime.bigint();
    let warmRuns = 0;
    while (warmRuns < 20 || Number(process.hrtime.bigint() - warm) < 5e8) {
      out = await encode();
      warmRuns++;
    }
    const eachMs = Number(process.hrtime.bigint() - warm) / 1e6 / warmRuns;
    const runs = Math.max(7, Math.min(200, Math.floor(1500 / Math.max(eachMs, 0.01))));
    const times = [];
    for (let i = 0; i < runs; i++) {
      const start = process.cpuUsage();
      out = await encode();
      const used = process.cpuUsage(start);
      times.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    fs.writeFileSync(path.join(dir, name + '.sharp.jpg'), out);
    fs.writeFileSync(path.join(dir, name + '.sharp.txt'), times[Math.floor(runs / 2)].toFixed(3) + '\n');
  }
})();
