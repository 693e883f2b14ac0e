// sharp (libvips) on the same corpus and settings as ThumbnailBenchmark: 400x300 fit inside without enlargement,
// EXIF auto-rotation, JPEG quality 80 (sharp's defaults: 4:2:0, optimised Huffman), PNG for PNG and GIF.
// One libvips thread per operation and no operation cache, so "median_ms" is one thread and the 2-thread number
// is two concurrent pipelines. Prints a table and JSON lines like the Java benchmark (alloc_mb is not measured).
// Usage: SHARP_DIR=<folder with node_modules/sharp> node sharp-bench.cjs <corpus-dir> [out.jsonl]
//
// With --serve instead of a corpus it is the sharp half of the size sweep (SizeSweep.java, size-sweep.sh): it reads
// one JSON request a line on stdin, {"file","width","height","mode":"inside"|"cover","warmup","iterations"} (0 = that
// side free, as in the thumbnail URL), renders warmup + iterations thumbnails of that case and answers one JSON
// line, {"width","height","bytes","wall_ms":[...],"cpu_ms":[...]} or {"error"}. The Java side alternates these
// batches with its own, so machine load falls on both alike, and takes the medians.
'use strict';
const fs = require('fs');
const path = require('path');
const sharp = require(path.join(process.env.SHARP_DIR || '.', 'node_modules', 'sharp'));

sharp.concurrency(1);
sharp.cache(false);

const serve = process.argv[2] === '--serve';
const dir = process.argv[2];
const outFile = process.argv[3];
const iterations = Number(process.env.BENCH_ITERATIONS || 40);
const warmup = Number(process.env.BENCH_WARMUP || 30);
const seconds = Number(process.env.BENCH_SECONDS || 3);
const quality = Number(process.env.BENCH_QUALITY || 80);

const DEFAULT_BOX = { width: 400, height: 300, mode: 'inside' };
// sharp's default JPEG shrink-on-load takes the largest DCT scale that stays at or above the output size;
// SHARP_FAST_SHRINK=0 leaves the kernel a factor of 2 as libvips' thumbnail does (sharp's fastShrinkOnLoad: false).
const fastShrinkOnLoad = process.env.SHARP_FAST_SHRINK !== '0';

// box: {width, height, mode}; a side of 0 is free (sharp's null), as the thumbnail URL's WIDTHx0.
// Resolves to {data, info}.
function thumbnail(buffer, format, box = DEFAULT_BOX) {
  const pipeline = sharp(buffer, { failOn: 'error' }).rotate()
    .resize(box.width || null, box.height || null,
      { fit: box.mode === 'cover' ? 'cover' : 'inside', position: 'centre', withoutEnlargement: true,
        fastShrinkOnLoad });
  return (format === 'jpeg' ? pipeline.jpeg({ quality }) : pipeline.png()).toBuffer({ resolveWithObject: true });
}

function formatOf(file) {
  return /\.jpe?g$/i.test(file) ? 'jpeg' : 'png';
}

// Wall and process CPU ms of each of `iterations` renders after `warmup` unmeasured ones.
async function timeCase(buffer, format, box, warmup, iterations) {
  let out;
  for (let i = 0; i < warmup; i++) out = await thumbnail(buffer, format, box);
  const wall = [];
  const cpu = [];
  for (let i = 0; i < iterations; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    out = await thumbnail(buffer, format, box);
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  return { out, wall, cpu };
}

async function serveRequests() {
  const buffers = new Map();
  const lines = require('readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let answer;
    try {
      const r = JSON.parse(line);
      if (!buffers.has(r.file)) buffers.set(r.file, fs.readFileSync(r.file));
      const { out, wall, cpu } = await timeCase(buffers.get(r.file), formatOf(r.file), r, r.warmup || 0,
        r.iterations || 0);
      answer = { width: out.info.width, height: out.info.height, bytes: out.data.length, wall_ms: wall,
        cpu_ms: cpu };
    } catch (e) {
      answer = { error: String(e && e.message || e) };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
}

async function throughput(buffer, format, workers) {
  let done = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: workers }, async () => {
    while (process.hrtime.bigint() < end) {
      await thumbnail(buffer, format);
      done++;
    }
  }));
  return done / (Number(process.hrtime.bigint() - start) / 1e9);
}

(serve ? serveRequests : main)().catch((e) => { console.error(e); process.exit(1); });

async function main() {
  const files = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png|gif)$/.test(f)).sort();
  const lines = [];
  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`);
  console.log('file'.padEnd(34), 'median_ms'.padStart(10), 'cpu_ms'.padStart(8), 'per_s_2thr'.padStart(13),
    'out_bytes'.padStart(9));
  for (const file of files) {
    const buffer = fs.readFileSync(path.join(dir, file));
    const format = formatOf(file);
    const { out: result, wall: times, cpu } = await timeCase(buffer, format, DEFAULT_BOX, warmup, iterations);
    const out = result.data;
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const median = times[Math.floor(iterations / 2)];
    // CPU time of the whole process (every libvips/libuv thread) per thumbnail: steadier than wall time on a
    // shared machine, and comparable with the Java benchmark's cpu_ms column.
    const medianCpu = cpu[Math.floor(iterations / 2)];
    const perSecond = await throughput(buffer, format, 2);
    console.log(file.padEnd(34), median.toFixed(1).padStart(10), medianCpu.toFixed(1).padStart(8),
      perSecond.toFixed(1).padStart(13),
      String(out.length).padStart(9));
    lines.push(JSON.stringify({ file, median_ms: +median.toFixed(2), per_s_2threads: +perSecond.toFixed(1),
      alloc_mb: null, out_bytes: out.length, median_cpu_ms: +medianCpu.toFixed(2) }));
  }
  console.log();
  lines.forEach((l) => console.log(l));
  if (outFile) fs.writeFileSync(outFile, lines.join('\n') + '\n');
}
