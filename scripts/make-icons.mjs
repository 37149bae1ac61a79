// Renders the SVG icons to the PNG sizes the web app manifest needs, with
// Debian's Chromium. Run once after changing an icon: node scripts/make-icons.mjs
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const dir = new URL('../public/icons/', import.meta.url);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [svg, size, png] of [
  ['icon.svg', 192, 'icon-192.png'],
  ['icon.svg', 512, 'icon-512.png'],
  ['icon-maskable.svg', 512, 'icon-maskable-512.png'],
]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const markup = readFileSync(new URL(svg, dir), 'utf8');
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${markup}`);
  await page.screenshot({ path: new URL(png, dir).pathname, omitBackground: true });
  await page.close();
}
await browser.close();
