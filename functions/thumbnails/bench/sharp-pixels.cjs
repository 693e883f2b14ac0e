// Writes sharp's thumbnails of the corpus as raw sRGB pixels (binary PPM), for the sharpness comparison
// (SharpnessBenchmark): each box of BOXES (default 400x300) fit inside, no enlargement, EXIF rotation, alpha
// dropped - sharp's defaults, i.e. JPEG shrink-on-load, then libvips' reduce with the Lanczos3 kernel.
// Writes <out-dir>/<file>.<box>.ppm.
// Usage: SHARP_DIR=<folder with node_modules/sharp> [BOXES=150x150,400x300] node sharp-pixels.cjs <corpus-dir> <out-dir>
'use strict';
const fs = require('fs');
const path = require('path');
const sharp = require(path.join(process.env.SHARP_DIR || '.', 'node_modules', 'sharp'));

sharp.concurrency(1);
sharp.cache(false);

async function main() {
  const [dir, outDir] = process.argv.slice(2);
  fs.mkdirSync(outDir, { recursive: true });
  const boxes = (process.env.BOXES || '400x300').split(',');
  for (const file of fs.readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()) {
    for (const box of boxes) {
      const [w, h] = box.split('x').map(Number);
      const { data, info } = await sharp(fs.readFileSync(path.join(dir, file)), { failOn: 'error' }).rotate()
        .resize(w || null, h || null, { fit: 'inside', withoutEnlargement: true })
        .removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const head = Buffer.from(`P6\n${info.width} ${info.height}\n255\n`, 'ascii');
      fs.writeFileSync(path.join(outDir, `${file}.${box}.ppm`), Buffer.concat([head, data]));
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
