// Shared test plumbing: a fixture site, a tiny static HTTP server and a Chromium via playwright-core.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB = path.resolve(here, '..');
const GEO = path.resolve(WEB, '../../shared/data/geo'); // ../shared next to the repository
export const SCREENSHOTS = process.env.METEO_SCREENSHOT_DIR || path.join(WEB, 'test-output');
export const USING_FIXTURE = !process.env.METEO_DASHBOARD_DIR;

// The site under test: a generated dashboard (CI) or web/dist plus the fixture data.
export function siteDir() {
  if (!USING_FIXTURE) return path.resolve(process.env.METEO_DASHBOARD_DIR);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meteo-dashboard-'));
  fs.cpSync(path.join(WEB, 'dist'), dir, { recursive: true });
  const data = path.join(dir, 'data');
  fs.cpSync(path.join(here, 'fixtures', 'data'), data, { recursive: true });
  writeShapes(data, 'fr-regions', 'regions-version-simplifiee.geojson');
  writeShapes(data, 'toulouse-communes', 'communes-31-haute-garonne.geojson');
  return dir;
}

// shapes-<set>.geojson for the regions listed in hourly-<set>.json, with the contract's
// {code, name} properties; real contours from ../shared when present, else synthetic squares.
function writeShapes(data, set, sharedFile) {
  const regions = readJson(path.join(data, `hourly-${set}.json`)).regions;
  const source = path.join(GEO, sharedFile);
  const real = fs.existsSync(source)
    ? new Map(readJson(source).features.map((f) => [f.properties.code, f.geometry])) : new Map();
  const features = regions.map((r, i) => ({
    type: 'Feature', properties: { code: r.code, name: r.name },
    geometry: real.get(r.code) || square(i),
  }));
  fs.writeFileSync(path.join(data, `shapes-${set}.geojson`),
    JSON.stringify({ type: 'FeatureCollection', features }));
}

function square(i) {
  const x = (i % 10) * 0.5, y = 42 + Math.floor(i / 10) * 0.5;
  return { type: 'Polygon', coordinates: [[[x, y], [x + 0.5, y], [x + 0.5, y + 0.5], [x, y + 0.5], [x, y]]] };
}

export const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.geojson': 'application/geo+json',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

// Static server on 127.0.0.1:<ephemeral>. `overrides` maps a URL path ('/data/meta.json') to a
// body, so a test can change meta.json without touching the directory (which may be CI's).
export async function serve(root) {
  const overrides = new Map();
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (overrides.has(urlPath)) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(urlPath)] || 'application/octet-stream' });
      return res.end(overrides.get(urlPath));
    }
    let file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    if (urlPath.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404); return res.end('not found'); }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, overrides, close: () => new Promise((resolve) => server.close(resolve)) };
}

// playwright-core refuses an explicit --user-data-dir in launch(): it gives every launch a fresh
// temporary profile itself (and deletes it on close), which is what we want.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { browser, close: () => browser.close() };
}

// A page that records console errors and failed requests, opened at `url` and waited until the
// dashboard says it has rendered.
export async function open(browser, url, { width = 1366, height = 900, timezoneId = 'Europe/Paris', hasTouch = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, timezoneId, hasTouch, isMobile: hasTouch,
    deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  // A static server has no /events: the page asks once, gets a 404 and keeps polling (app.js's
  // live section). That one answer is expected, so it is counted in `events`, not a problem.
  const events = [];
  const isEvents = (url) => { try { return new URL(url).pathname.endsWith('/events'); } catch { return false; } };
  page.on('request', (r) => { if (isEvents(r.url())) events.push(r.url()); });
  page.on('console', (m) => {
    if (m.type() === 'error' && !isEvents(m.location()?.url || '')) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!isEvents(r.url())) problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !(isEvents(r.url()) && r.status() === 404)) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__dashboard && (window.__dashboard.ready || window.__dashboard.error));
  await page.waitForTimeout(300); // let ECharts finish its first animation frame for screenshots
  return { page, problems, events, close: () => context.close() };
}

export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
