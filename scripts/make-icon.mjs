// Renders media/icon.png (256×256, the Marketplace and extension page icon) from the view icon's
// shapes in Chromium. Run by hand when the icon changes: node scripts/make-icon.mjs
import { launchBrowser } from './chromium.mjs';
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1 });
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 24 24">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2f6fd6"/><stop offset="1" stop-color="#1b3f8f"/></linearGradient></defs>
<rect x="0.5" y="0.5" width="23" height="23" rx="5" fill="url(#g)"/>
<g fill="none" stroke="#ffffff" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" transform="translate(1.2 0) scale(0.9) translate(0.8 1.4)">
<path d="M6.6 7.6l3.8 2.8M13.6 13.6l3.8 2.8"/><path d="M5 8.2V19h11.8"/>
<circle cx="5" cy="6" r="2.2" fill="#7fd1ff"/><circle cx="12" cy="12" r="2.2" fill="#ffd36b"/><circle cx="19" cy="18" r="2.2" fill="#8ee08e"/></g></svg>`;
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.screenshot({ path: 'media/icon.png', omitBackground: true, clip: { x: 0, y: 0, width: 256, height: 256 } });
await browser.close();
