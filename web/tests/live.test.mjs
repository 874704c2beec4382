// The live page: with `GET /events` (Server-Sent Events, as `meteo-etl serve` sends them) the page
// fetches only the data files an event names and redraws in place; without it (a plain static
// server) it asks once, falls back to polling and never retries in a loop.
// Run: node --test web/tests/   (METEO_DASHBOARD_DIR=<generated dir> to test a real dashboard).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { siteDir, serve, launch, open, readJson, USING_FIXTURE } from './helpers.mjs';

let site, chrome, meta;

before(async () => {
  site = siteDir();
  meta = readJson(path.join(site, 'data', 'meta.json'));
  chrome = await launch();
});

after(async () => {
  await chrome?.close();
  if (USING_FIXTURE && site) fs.rmSync(site, { recursive: true, force: true });
});

const byTestId = (id) => `[data-testid="${id}"]`;

// A tiny server of the site directory and of /events, standing in for `meteo-etl serve`: `send`
// writes an event to every open stream, `overrides` replaces a file's body (the directory is
// never written), `requests` lists every path asked for, `drop` ends the open streams, `gone`
// makes /events fail like a server that went away (the connection cut before any answer).
async function serveLive(root) {
  const overrides = new Map();
  const streams = new Set();
  const requests = [];
  let gone = false;
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(urlPath);
    if (urlPath === '/events' && gone) return req.socket.destroy();
    if (urlPath === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('retry: 300\n: connected\n\n'); // a comment, as the server's heartbeats are
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return undefined;
    }
    if (overrides.has(urlPath)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(overrides.get(urlPath));
    }
    const file = path.join(root, path.normalize(urlPath.endsWith('/') ? urlPath + 'index.html' : urlPath));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    return fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404); return res.end('not found'); }
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[path.extname(file)];
      res.writeHead(200, { 'content-type': type || 'application/json' });
      return res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const send = (event, data, id) => {
    for (const res of streams) res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const drop = () => { for (const res of streams) res.end(); streams.clear(); };
  return {
    url: `http://127.0.0.1:${server.address().port}/`, overrides, requests, send, drop,
    goAway: () => { gone = true; drop(); },
    streams: () => streams.size,
    close: () => { drop(); return new Promise((resolve) => server.close(resolve)); },
  };
}

// stations.json with `dataset_id`'s latest temperature set to `value` and every station's newest
// hourly mean raised by 10 °C (so the city's headline changes too).
function warmerStations(dataset_id, value) {
  const file = readJson(path.join(site, 'data', meta.stations));
  file.stations = file.stations.map((s) => ({
    ...s,
    latest: s.dataset_id === dataset_id ? { ...s.latest, temperature_c: value } : s.latest,
    hourly: s.hourly.map((h, i) => (i === s.hourly.length - 1 && h.temperature_mean !== null
      ? { ...h, temperature_mean: h.temperature_mean + 10 } : h)),
  }));
  return JSON.stringify(file);
}

const runEvent = (files) => ({ runs: [{ id: 1, source: 'toulouse', kind: 'run', hour: '2026-12-05T10:00:00Z' }],
  sources: ['toulouse'], hours: ['2026-12-05T10:00:00Z'], files });

test('a static server (no /events): asked once, then polling; no retry loop', async () => {
  const server = await serve(site);
  const { page, problems, events, close } = await open(chrome.browser, `${server.url}?poll=1`);
  try {
    await page.waitForFunction(() => document.querySelector('[data-testid="live"]').dataset.state === 'static');
    await page.waitForTimeout(3000); // an EventSource left open would have retried by now
    assert.equal(events.length, 1, `one request to /events: ${events.join(', ')}`);
    assert.equal(await page.evaluate(() => window.__dashboard.live.source), null, 'the EventSource is closed');
    assert.match(await page.textContent(byTestId('live-text')), /Vérifié toutes les 1 s/);
    // Today's behaviour kept: a new generated_at in meta.json reloads the data.
    server.overrides.set('/data/meta.json', JSON.stringify({ ...meta, generated_at: '2099-01-01T00:00:00Z' }));
    await page.waitForFunction(() => window.__dashboard.state.generatedAt === '2099-01-01T00:00:00Z', null,
      { timeout: 10000 });
    assert.equal(await page.evaluate(() => document.body.dataset.updatedAt), '2099-01-01T00:00:00Z');
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await server.close();
  }
});

// Opens the page on the live server, waits until its stream is open and marks the loaded page.
async function openLive(server, query, options) {
  const opened = await open(chrome.browser, server.url + query, options);
  await opened.page.waitForFunction(() => document.querySelector('[data-testid="live"]').dataset.state === 'connected');
  await opened.page.evaluate(() => { window.__loadedOnce = 'marker'; });
  return opened;
}

test('desktop: a run event updates the named file in place, keeps the selection, fetches nothing else', async (t) => {
  if (!meta.stations) return t.skip('no station network in this site');
  const server = await serveLive(site);
  // poll=3600: only the event can be what updates the page.
  const { page, problems, close } = await openLive(server, '?poll=3600');
  try {
    assert.equal(await page.textContent(byTestId('live-text')), 'En direct');
    const stations = readJson(path.join(site, 'data', meta.stations)).stations.filter((s) => s.latest);
    const chosen = stations[stations.length - 1]; // not the default (the first with data)
    await page.selectOption(byTestId('station-select'), chosen.dataset_id);
    const region = await page.evaluate(() => window.__dashboard.state.region);
    const cityBefore = await page.getAttribute(byTestId('toulouse-headline'), 'data-value');

    server.overrides.set('/data/' + meta.stations, warmerStations(chosen.dataset_id, 31.4));
    const asked = server.requests.length;
    server.send('run', runEvent(['data/' + meta.stations]), '7');
    await page.waitForFunction(() => document.body.dataset.lastEventId === '7', null, { timeout: 10000 });

    assert.equal(await page.getAttribute(byTestId('station-latest'), 'data-temperature'), '31.4');
    assert.match(await page.innerText(byTestId('station-latest')), /31,4 °C/);
    assert.equal(await page.$eval(`${byTestId('stations-table')} tr[data-key="${chosen.dataset_id}"] td`,
      (td) => td.dataset.value), '31.4', 'the map table follows');
    const cityAfter = await page.getAttribute(byTestId('toulouse-headline'), 'data-value');
    assert.ok(Math.abs(Number(cityAfter) - Number(cityBefore) - 10) < 0.11, `${cityBefore} -> ${cityAfter}`);
    // In place: the same page (its marker survives), the same selection, only the named file read.
    assert.equal(await page.evaluate(() => window.__loadedOnce), 'marker');
    assert.equal(await page.evaluate(() => window.__dashboard.state.station), chosen.dataset_id);
    assert.equal(await page.inputValue(byTestId('station-select')), chosen.dataset_id);
    assert.equal(await page.evaluate(() => window.__dashboard.state.region), region);
    assert.deepEqual(server.requests.slice(asked), ['/data/' + meta.stations]);

    // A file the page does not show is not fetched and changes nothing.
    const updates = await page.evaluate(() => document.body.dataset.updates);
    server.send('run', runEvent(['data/somewhere-else.json']), '8');
    await page.waitForFunction(() => document.body.dataset.lastEventId === '8');
    assert.equal(await page.evaluate(() => document.body.dataset.updates), updates);

    // reset: everything is read again (meta.json first), still in place.
    const others = meta.region_sets.filter((s) => s.name !== meta.station_region_set);
    const franceFile = (others.find((s) => s.name === 'fr-regions') || others[0]).hourly;
    const hourly = readJson(path.join(site, 'data', franceFile));
    const target = hourly.regions.find((r) => r.latest && r.latest.temperature !== null);
    target.latest = { ...target.latest, temperature: 36.5 };
    server.overrides.set('/data/' + franceFile, JSON.stringify(hourly));
    const beforeReset = server.requests.length;
    server.send('reset', {}, '9');
    await page.waitForFunction(() => document.body.dataset.lastEventId === '9', null, { timeout: 10000 });
    assert.equal(server.requests[beforeReset], '/data/meta.json');
    assert.equal(await page.$eval(`${byTestId('france-table')} tr[data-key="${target.code}"] td`,
      (td) => td.dataset.value), '36.5');
    if (USING_FIXTURE) {
      assert.equal(await page.evaluate((c) => window.__dashboard.regionColor(c), target.code), '#A50026');
    }
    assert.equal(await page.evaluate(() => window.__loadedOnce), 'marker');
    assert.equal(await page.evaluate(() => window.__dashboard.state.station), chosen.dataset_id);

    // The stream drops: "reconnecting", then back and connected (the browser retries itself).
    server.drop();
    await page.waitForFunction(() => Number(document.body.dataset.updates) >= 3, null, { timeout: 10000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="live"]').dataset.state === 'connected');
    assert.deepEqual(problems, []);

    // The server goes away for good: a few reconnections (retry: 300 ms), then polling, no loop.
    server.goAway();
    await page.waitForFunction(() => document.querySelector('[data-testid="live"]').dataset.state === 'static',
      null, { timeout: 15000 });
    const tries = server.requests.filter((p) => p === '/events').length;
    await page.waitForTimeout(2000);
    assert.equal(server.requests.filter((p) => p === '/events').length, tries, 'no more requests to /events');
    assert.equal(await page.evaluate(() => window.__dashboard.live.source), null);
  } finally {
    server.overrides.clear();
    await close();
    await server.close();
  }
});

test('tv: a run event updates the shown values without leaving the slide', async (t) => {
  if (!meta.stations) return t.skip('no station network in this site');
  const server = await serveLive(site);
  const { page, problems, close } = await openLive(server, '?mode=tv&rotate=3600&poll=3600',
    { width: 1920, height: 1080 });
  try {
    const slide = await page.evaluate(() => document.body.dataset.slide);
    const station = await page.evaluate(() => window.__dashboard.state.station);
    const cityBefore = await page.getAttribute(byTestId('toulouse-headline'), 'data-value');
    server.overrides.set('/data/' + meta.stations, warmerStations(station, 28.2));
    server.send('run', runEvent(['data/meta.json', 'data/' + meta.stations]), '11');
    await page.waitForFunction(() => document.body.dataset.lastEventId === '11', null, { timeout: 10000 });
    const cityAfter = await page.getAttribute(byTestId('toulouse-headline'), 'data-value');
    assert.ok(Math.abs(Number(cityAfter) - Number(cityBefore) - 10) < 0.11, `${cityBefore} -> ${cityAfter}`);
    assert.equal(await page.getAttribute(byTestId('station-latest'), 'data-temperature'), '28.2');
    assert.equal(await page.evaluate(() => document.body.dataset.slide), slide);
    assert.equal(await page.evaluate(() => window.__dashboard.state.station), station);
    assert.equal(await page.evaluate(() => window.__loadedOnce), 'marker');
    assert.deepEqual(problems, []);
  } finally {
    server.overrides.clear();
    await close();
    await server.close();
  }
});
