// "At a glance": each view's headline, stations and sources by their names, the 3-hours-before
// comparison without hovering, and every map's table (its text alternative) reachable by keyboard.
// Run: node --test web/tests/   (METEO_DASHBOARD_DIR=<generated dir> to test a real dashboard).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { siteDir, serve, launch, open, screenshot, readJson, USING_FIXTURE } from './helpers.mjs';

let site, server, chrome, meta;

before(async () => {
  site = siteDir();
  meta = readJson(path.join(site, 'data', 'meta.json'));
  server = await serve(site);
  chrome = await launch();
});

after(async () => {
  await chrome?.close();
  await server?.close();
  if (USING_FIXTURE && site) fs.rmSync(site, { recursive: true, force: true });
});

const byTestId = (id) => `[data-testid="${id}"]`;
const text = (page, id) => page.textContent(byTestId(id));
// The France view's set, as the page chooses it (fr-regions, else the first non-station set).
function franceSet() {
  const others = meta.region_sets.filter((s) => s.name !== meta.station_region_set);
  return others.find((s) => s.name === 'fr-regions') || others[0] || null;
}
const stationsFile = () => (meta.stations ? readJson(path.join(site, 'data', meta.stations)) : null);

// Three alerts, two of them active, served in place of data/alerts.json.
function threeAlerts() {
  const alert = (kind, active) => ({ kind, level: 'yellow', level_rank: 1, scope_type: 'station', source: 'x',
    scope_id: 'nowhere', place: 'Ailleurs', start: '2026-11-22T05:00:00Z', end: active ? null : '2026-11-22T06:00:00Z',
    active, peak: 1, peak_at: '2026-11-22T05:00:00Z', unit: 'km/h', threshold: 1, note: 'indicative' });
  return JSON.stringify({ note: 'indicative', alerts: [alert('strong_wind', true), alert('heavy_rain', true),
    alert('severe_cold', false)] });
}

test('headlines: the warmest and coldest region, the city now with its change in 3 h, the active alerts', async (t) => {
  if (!franceSet()) return t.skip('no region set in this site');
  server.overrides.set('/data/meta.json', JSON.stringify({ ...meta, alerts: 'alerts.json' }));
  server.overrides.set('/data/alerts.json', threeAlerts());
  const { page, problems, close } = await open(chrome.browser, server.url);
  try {
    const france = await text(page, 'france-headline');
    assert.match(france, /^Région la plus chaude : .+ ; la plus froide : .+ · 2 alertes en cours$/);
    if (USING_FIXTURE) {
      assert.equal(france, 'Région la plus chaude : Corse 19,0 °C ; la plus froide : Auvergne-Rhône-Alpes '
        + '-11,3 °C (+0,7 °C en 3 h) · 2 alertes en cours');
    }
    if (meta.stations) {
      const city = await text(page, 'toulouse-headline');
      const network = meta.sources.find((s) => s.name === stationsFile().source);
      assert.ok(city.startsWith(`${network.display_name || network.name} maintenant `), city);
      assert.match(city, /· 2 alertes en cours$/);
      if (USING_FIXTURE) {
        // The mean of Meteopole (7,0) and Mairie (6,5) at 07:00Z, against 5,1 and 4,6 at 04:00Z.
        assert.ok(city.startsWith('Toulouse Métropole maintenant 6,8 °C, +1,9 °C en 3 h (moyenne de 2 stations à '), city);
        assert.ok(city.includes('Station la plus chaude : Meteopole (Toulouse) 9,3 °C'), city);
        assert.ok(city.includes('la plus froide : Mairie (Blagnac) 8,7 °C'), city);
        const data = await page.evaluate(() => ({ ...document.querySelector('[data-testid="toulouse-headline"]').dataset }));
        assert.equal(data.value, '6.8');
        assert.equal(data.delta, '1.9');
      }
    }
    if (USING_FIXTURE) {
      assert.equal(await text(page, 'air-headline'), 'Indice le plus élevé : Toulouse Périphérique, 4 — Mauvais'
        + ' · 2 alertes en cours');
    }
    await screenshot(page, 'glance-headlines');
    assert.deepEqual(problems, []);
  } finally {
    server.overrides.clear();
    await close();
  }

  // English, and no alerts file: no alerts count at all.
  server.overrides.set('/data/meta.json', JSON.stringify({ ...meta, alerts: null, language: 'en' }));
  const english = await open(chrome.browser, server.url);
  try {
    const france = await text(english.page, 'france-headline');
    assert.match(france, /^Warmest region: .+; coldest: .+$/);
    assert.ok(!france.includes('alert'), france);
    if (USING_FIXTURE) {
      assert.ok((await text(english.page, 'toulouse-headline'))
        .startsWith('Toulouse Métropole now 6.8 °C, +1.9 °C in 3 h (mean of 2 stations at '));
    }
    assert.deepEqual(english.problems, []);
  } finally {
    server.overrides.clear();
    await english.close();
  }
});

test('names: stations by their name and commune, sources by their display name; the 3-hour change shown', async (t) => {
  if (!meta.stations) return t.skip('no station network in this site');
  const { page, problems, close } = await open(chrome.browser, server.url);
  try {
    const options = await page.$$eval(`${byTestId('station-select')} option`, (o) => o.map((x) => x.textContent));
    assert.ok(options.length > 0);
    for (const option of options) assert.doesNotMatch(option, /#\d/, 'no "Toulouse #1" labels');
    if (USING_FIXTURE) {
      assert.deepEqual(options, ['Meteopole (Toulouse)', 'Mairie (Blagnac)', 'Za perget (Colomiers)']);
      assert.equal(await text(page, 'toulouse-title-text'), 'Toulouse Métropole — stations météo');
      assert.equal(await text(page, 'air-title-text'), 'Qualité de l’air — atmo-occitanie');
    }
    // The banner names every source by its display name (its name when none is configured).
    const banner = await page.innerText(byTestId('banner'));
    for (const s of meta.sources) assert.ok(banner.includes(s.display_name || s.name), banner);

    // The comparison with 3 hours before, without hovering: beside the station's values...
    const station = stationsFile().stations.find((s) => s.latest && s.hourly.length > 3);
    if (station) {
      await page.selectOption(byTestId('station-select'), station.dataset_id);
      assert.match(await page.innerText(byTestId('station-latest')), /Δ3h\s+[+−±—]/);
    }
    if (USING_FIXTURE) assert.match(await page.innerText(byTestId('station-latest')), /Δ3h\s+\+1,9 °C/);
    // ...and the region's, in the series' title.
    const region = (franceSet() ? readJson(path.join(site, 'data', franceSet().hourly)).regions : [])
      .find((r) => r.latest && r.latest.temperature_3h_before !== null && r.latest.temperature !== null);
    if (region) {
      await page.selectOption(byTestId('region-select'), region.code);
      assert.match(await text(page, 'region-series-title'), / °C \([+−±].* en 3 h\)$/);
    }
    if (USING_FIXTURE) {
      await page.selectOption(byTestId('region-select'), '76');
      assert.equal(await text(page, 'region-series-title'), 'Occitanie — 9,1 °C (+0,9 °C en 3 h)');
    }
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

// Presses Tab until the element with `testId` has the focus; the number of presses, or -1.
async function tabTo(page, testId, most = 60) {
  for (let i = 1; i <= most; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.dataset?.testid === id, testId)) return i;
  }
  return -1;
}

// The table's rows as {key: first data-value}.
const tableValues = (page, id) => page.$$eval(`${byTestId(id)} tbody tr`, (rows) => Object.fromEntries(
  rows.map((r) => [r.dataset.key, r.querySelector('td')?.dataset.value ?? null])));

test('maps: each has a table of the same values, reachable with Tab, with a caption and headers', async (t) => {
  if (!franceSet()) return t.skip('no region set in this site');
  const { page, problems, close } = await open(chrome.browser, server.url);
  try {
    // The France map's table: Tab reaches its toggle, Enter opens it.
    assert.ok(await tabTo(page, 'france-table-toggle') > 0, 'the table toggle takes the focus');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(byTestId('france-table')).isVisible(), true);
    const mapValues = await page.evaluate(() => Object.fromEntries(window.__dashboard.charts['france-map']
      .getOption().series[0].data.filter((d) => Number.isFinite(d.value)).map((d) => [d.name, String(d.value)])));
    const table = await tableValues(page, 'france-table');
    const shown = Object.fromEntries(Object.entries(table).filter(([, v]) => v !== null));
    assert.deepEqual(shown, mapValues, 'the same regions and values as the map');
    const structure = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="france-table"]');
      return { caption: el.caption?.textContent, cols: el.querySelectorAll('thead th[scope="col"]').length,
        rowHeads: el.querySelectorAll('tbody th[scope="row"]').length, rows: el.tBodies[0].rows.length };
    });
    assert.ok(structure.caption.startsWith('Température par région, '), structure.caption);
    assert.equal(structure.cols, 4);
    assert.equal(structure.rowHeads, structure.rows);
    if (USING_FIXTURE) {
      assert.equal(table['76'], '9.1');
      assert.match(await page.innerText(`${byTestId('france-table')} tr[data-key="76"]`), /Occitanie\s+9,1 °C\s+\+0,9 °C\s+37/);
    }

    if (meta.stations) {
      // The station map's table: every point of the map, with the temperature its label shows.
      assert.ok(await tabTo(page, 'toulouse-table-toggle') > 0);
      await page.keyboard.press('Enter');
      const points = await page.evaluate(() => window.__dashboard.charts['toulouse-map'].getOption().series[1].data
        .map((d) => d.name).sort());
      const stations = await tableValues(page, 'stations-table');
      for (const key of points) assert.ok(key in stations, `station ${key} in the table`);
      for (const s of stationsFile().stations.filter((x) => x.latest && x.latest.temperature_c !== null)) {
        assert.equal(stations[s.dataset_id], String(s.latest.temperature_c), s.dataset_id);
      }
      const communeMap = await page.evaluate(() => Object.fromEntries(window.__dashboard.charts['toulouse-map']
        .getOption().series[0].data.filter((d) => Number.isFinite(d.value)).map((d) => [d.name, String(d.value)])));
      assert.deepEqual(await tableValues(page, 'communes-table'), communeMap);
    }
    if (meta.air_quality) {
      assert.ok(await tabTo(page, 'air-table-toggle') > 0);
      await page.keyboard.press('Enter');
      const codes = await page.evaluate(() => window.__dashboard.charts['air-map'].getOption().series[0].data
        .map((d) => d.name).sort());
      const rows = await page.$$eval(`${byTestId('air-table')} tbody tr`, (r) => r.map((x) => x.dataset.key).sort());
      assert.deepEqual(rows, codes);
    }
    await screenshot(page, 'glance-tables');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
