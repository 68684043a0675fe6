/* global Image, ImageData -- used inside page.evaluate, which runs in the browser */
// Tolerant screenshot comparison for the e2e run: each scenario's final screenshot against the
// previous run's (test-results/previous/, kept from the last run on this machine) or, on a fresh
// clone, against the committed baseline (test/e2e/baselines/). Reported in the summary, never
// failing: a broken layout is seen by whoever reads the run, while a clock or a commit date in
// the picture does not make the run red.
//
// The comparison runs in the Chromium the run already has (a canvas), so no image library is
// needed: both pictures are drawn at COMPARE_WIDTH (which also absorbs anti-aliasing and
// sub-pixel font differences), and a pixel counts as changed when one colour channel moved by
// more than CHANNEL_TOLERANCE. The diff picture shows the current screen greyed out with the
// changed pixels in red.
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Width both pictures are compared at (the screenshots are 1440 wide: half size). */
export const COMPARE_WIDTH = 720;
/** A channel difference at or below this is noise (anti-aliasing, font hinting). */
export const CHANNEL_TOLERANCE = 40;
/** Above this share of changed pixels the summary asks a person to look. */
export const LOOK_PERCENT = 3;

/**
 * Moves the final screenshots of the last run into `previousDir` before this run writes new
 * ones; a run that was stopped early keeps the older pictures for the scenarios it did not reach.
 */
export async function keepPreviousScreenshots(resultsDir, previousDir, names) {
  await fs.mkdir(previousDir, { recursive: true });
  for (const name of names) {
    const shot = path.join(resultsDir, `${name}.png`);
    if (existsSync(shot)) await fs.rename(shot, path.join(previousDir, `${name}.png`));
  }
}

/** The picture to compare with: the previous run's, else the committed baseline, else none. */
export function referenceFor(name, previousDir, baselineDir) {
  const previous = path.join(previousDir, `${name}.png`);
  if (existsSync(previous)) return { file: previous, kind: 'previous run' };
  const baseline = path.join(baselineDir, `${name}.png`);
  if (existsSync(baseline)) return { file: baseline, kind: 'baseline' };
  return null;
}

/**
 * Compares two PNG files in a page of `browser`. Returns the share of changed pixels (percent),
 * the box around them (in compared pixels) and the diff picture as PNG bytes.
 */
export async function compareScreenshots(browser, currentFile, referenceFile) {
  const [current, reference] = await Promise.all([fs.readFile(currentFile), fs.readFile(referenceFile)]);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const result = await page.evaluate(
      async ({ currentUrl, referenceUrl, width, tolerance }) => {
        const load = (src) =>
          new Promise((resolve, reject) => {
            const image = new Image();
            image.onload = () => resolve(image);
            image.onerror = () => reject(new Error('not a readable PNG'));
            image.src = src;
          });
        const [a, b] = await Promise.all([load(currentUrl), load(referenceUrl)]);
        const height = Math.round((a.naturalHeight * width) / a.naturalWidth);
        const pixels = (image) => {
          const canvas = document.createElement('canvas');
          canvas.width = width;
          canvas.height = height;
          const g = canvas.getContext('2d');
          g.imageSmoothingQuality = 'high';
          g.drawImage(image, 0, 0, width, height);
          return g.getImageData(0, 0, width, height);
        };
        const pa = pixels(a);
        const pb = pixels(b);
        const out = new ImageData(width, height);
        let changed = 0;
        let box = null;
        for (let i = 0; i < pa.data.length; i += 4) {
          const delta = Math.max(Math.abs(pa.data[i] - pb.data[i]), Math.abs(pa.data[i + 1] - pb.data[i + 1]), Math.abs(pa.data[i + 2] - pb.data[i + 2]));
          const grey = Math.round((pa.data[i] + pa.data[i + 1] + pa.data[i + 2]) / 3 / 3 + 170);
          if (delta > tolerance) {
            changed++;
            const x = (i / 4) % width;
            const y = Math.floor(i / 4 / width);
            box = box ? { left: Math.min(box.left, x), top: Math.min(box.top, y), right: Math.max(box.right, x), bottom: Math.max(box.bottom, y) } : { left: x, top: y, right: x, bottom: y };
            out.data.set([230, 20, 20, 255], i);
          } else {
            out.data.set([grey, grey, grey, 255], i);
          }
        }
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        canvas.getContext('2d').putImageData(out, 0, 0);
        // A baseline is stored at half size: only a different shape (aspect ratio) is a changed size.
        const sizeChanged = Math.abs(a.naturalWidth / a.naturalHeight - b.naturalWidth / b.naturalHeight) > 0.01;
        return { percent: (100 * changed) / (width * height), box, sizeChanged, diffUrl: canvas.toDataURL('image/png') };
      },
      {
        currentUrl: `data:image/png;base64,${current.toString('base64')}`,
        referenceUrl: `data:image/png;base64,${reference.toString('base64')}`,
        width: COMPARE_WIDTH,
        tolerance: CHANNEL_TOLERANCE,
      },
    );
    return { percent: result.percent, box: result.box, sizeChanged: result.sizeChanged, diff: Buffer.from(result.diffUrl.split(',')[1], 'base64') };
  } finally {
    await context.close();
  }
}

/** Writes `file` scaled to COMPARE_WIDTH (what a committed baseline holds: small, and enough to compare). */
export async function writeBaseline(browser, file, baselineFile) {
  const bytes = await fs.readFile(file);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const url = await page.evaluate(
      async ({ src, width }) => {
        const image = await new Promise((resolve, reject) => {
          const i = new Image();
          i.onload = () => resolve(i);
          i.onerror = () => reject(new Error('not a readable PNG'));
          i.src = src;
        });
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = Math.round((image.naturalHeight * width) / image.naturalWidth);
        const g = canvas.getContext('2d');
        g.imageSmoothingQuality = 'high';
        g.drawImage(image, 0, 0, canvas.width, canvas.height);
        return canvas.toDataURL('image/png');
      },
      { src: `data:image/png;base64,${bytes.toString('base64')}`, width: COMPARE_WIDTH },
    );
    await fs.mkdir(path.dirname(baselineFile), { recursive: true });
    await fs.writeFile(baselineFile, Buffer.from(url.split(',')[1], 'base64'));
  } finally {
    await context.close();
  }
}

/** One summary line for a comparison (or its absence). */
export function describeComparison(comparison) {
  if (!comparison) return 'no earlier screenshot to compare with';
  if (comparison.error) return `not compared: ${comparison.error}`;
  const pct = comparison.percent < 0.05 && comparison.percent > 0 ? '<0.1' : comparison.percent.toFixed(1);
  const where = comparison.box ? ` around x ${comparison.box.left * 2}–${comparison.box.right * 2}, y ${comparison.box.top * 2}–${comparison.box.bottom * 2}` : '';
  const look = comparison.percent > LOOK_PERCENT || comparison.sizeChanged ? ' — LOOK: the screen changed, see the diff picture' : '';
  return `${pct} % of the screen changed vs the ${comparison.kind}${where}${look}`;
}
