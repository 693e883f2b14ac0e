// Writes sharp's full-size sRGB decode of each given image (EXIF rotation applied, no resize) as a binary PPM, for
// the colour accuracy comparison (ColourAccuracyBenchmark): with the box equal to the image, only the colour
// conversion differs between Java, TwelveMonkeys and sharp (libvips + lcms, embedded profile, perceptual intent).
// Usage: SHARP_DIR=<folder with node_modules/sharp> node colour-pixels.cjs <out-dir> <image>...
'use strict';
const fs = require('fs');
const path = require('path');
const sharp = require(path.join(process.env.SHARP_DIR || '.', 'node_modules', 'sharp'));

sharp.concurrency(1);
sharp.cache(false);

async function main() {
  const [outDir, ...files] = process.argv.slice(2);
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of files) {
    const { data, info } = await sharp(fs.readFileSync(file), { failOn: 'error' }).rotate()
      .removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const head = Buffer.from(`P6\n${info.width} ${info.height}\n255\n`, 'ascii');
    fs.writeFileSync(path.join(outDir, `${path.basename(file)}.ppm`), Buffer.concat([head, data]));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
