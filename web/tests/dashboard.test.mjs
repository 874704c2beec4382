// Browser tests of the dashboard page (real Chromium through playwright-core).
// Run: node --test web/tests/   (METEO_DASHBOARD_DIR=<generated dir> to test a real dashboard).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { siteDir, serve, launch, open, screenshot, readJson, USING_FIXTURE } from './helpers.mjs';
import { KNOWN, expectedColor, AIR } from './fixtures/known.mjs';

let site, server, chrome, meta, france;

before(async () => {
  site = siteDir();
  meta = readJson(path.join(site, 'data', 'meta.json'));
  // A site may have no region set (the air-quality one): only the air-quality tests run on it.
  const franceSet = meta.region_sets.find((s) => s.name === 'fr-regions') || meta.region_sets[0];
  france = franceSet ? readJson(path.join(site, 'data', franceSet.hourly)) : { regions: [] };
  server = await serve(site);
  chrome = await launch();
});

after(async () => {
  await chrome?.close();
  await server?.close();
  if (USING_FIXTURE && site) fs.rmSync(site, { recursive: true, force: true });
});

// meta.json variants served in place of the real one (the directory itself is never modified).
const withMeta = (changes) => JSON.stringify({ ...meta, ...changes });
const allFresh = () => withMeta({ sources: meta.sources.map((s) => ({ ...s, stale: false,
  last_success: s.last_success || meta.generated_at })) });
function someStale() {
  if (USING_FIXTURE) return fs.readFileSync(new URL('./fixtures/meta-stale.json', import.meta.url), 'utf8');
  return withMeta({ sources: meta.sources.map((s, i) => (i === 0 ? { ...s, stale: true } : s)) });
}
function useMeta(body) {
  if (body === null) server.overrides.delete('/data/meta.json');
  else server.overrides.set('/data/meta.json', body);
}

const byTestId = (id) => `[data-testid="${id}"]`;
const latestOf = (code) => france.regions.find((r) => r.code === code)?.latest ?? null;

async function hoverTooltip(page, chartId, lonLat) {
  const box = await page.locator(byTestId(chartId)).boundingBox();
  const [x, y] = await page.evaluate(([id, ll]) => window.__dashboard.charts[id]
    .convertToPixel({ seriesIndex: 0 }, ll), [chartId, lonLat]);
  await page.mouse.move(box.x + x, box.y + y);
  const tip = page.locator(`${byTestId(chartId)} div[style*="z-index"]`).last();
  await tip.waitFor({ state: 'visible', timeout: 5000 });
  return tip.innerText();
}

test('desktop: loads cleanly, France choropleth with 13 regions, colours and tooltip', async () => {
  useMeta(allFresh());
  const { page, problems, close } = await open(chrome.browser, server.url);
  try {
    assert.equal(await page.evaluate(() => window.__dashboard.error ?? null), null);
    // 13 regions drawn (from the shapes) and 13 values on them.
    const counts = await page.evaluate(() => {
      const c = window.__dashboard.charts['france-map'];
      const opt = c.getOption();
      const regions = c.getModel().getSeriesByIndex(0).getData().count();
      // ECharts completes a map series with every region of the map: count those with a value.
      const values = opt.series[0].data.filter((d) => Number.isFinite(d.value)).length;
      return { regions, values };
    });
    assert.equal(counts.regions, 13, 'regions in the France map');
    const withLatest = france.regions.filter((r) => r.latest && r.latest.temperature !== null);
    assert.equal(counts.values, withLatest.length);
    if (USING_FIXTURE) assert.equal(counts.values, 13);

    // Every coloured region has its temperature class's colour; two known ones spelt out.
    for (const r of withLatest) {
      const color = await page.evaluate((code) => window.__dashboard.regionColor(code), r.code);
      assert.equal(color?.toLowerCase(), expectedColor(r.latest.temperature).toLowerCase(), `${r.name} colour`);
    }
    if (USING_FIXTURE) {
      assert.equal(await page.evaluate(() => window.__dashboard.regionColor('76')), '#C2E4EF'); // 9.1 °C
      assert.equal(await page.evaluate(() => window.__dashboard.regionColor('93')), '#FEDA8B'); // 17.3 °C
      assert.equal(await page.evaluate(() => window.__dashboard.regionColor('84')), '#364B9A'); // -11.3 °C
    }

    // Tooltip of Occitanie, hovered over Toulouse.
    const tip = await hoverTooltip(page, 'france-map', [1.444, 43.604]);
    assert.match(tip, /Occitanie/);
    const occitanie = latestOf('76');
    const fr = (v) => v.toFixed(1).replace('.', ',').replace('-', '−');
    if (occitanie) {
      assert.ok(tip.includes(`${fr(occitanie.temperature)} °C`), tip);
      assert.ok(tip.includes(`Points de mesure : ${occitanie.numberOfPoints}`), tip);
      assert.match(tip, /Δ3h : [+−±]/);
    }
    if (USING_FIXTURE) {
      assert.ok(tip.includes('9,1 °C') && tip.includes('37') && tip.includes('Δ3h : +0,9 °C'), tip);
    }

    // French labels by default; fresh banner is not an alert.
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await page.textContent(byTestId('title')), 'Températures horaires');
    const banner = page.locator(byTestId('banner'));
    assert.equal(await banner.getAttribute('role'), null);
    assert.equal(await banner.evaluate((el) => el.classList.contains('stale')), false);

    // Region series: clicking a region (select) switches the 48 h and 7 d charts.
    const pick = USING_FIXTURE ? '93' : france.regions.find((r) => r.series.length).code;
    await page.selectOption(byTestId('region-select'), pick);
    assert.equal(await page.getAttribute(byTestId('region-series'), 'data-region'), pick);
    const series = await page.evaluate(() => {
      const o48 = window.__dashboard.charts['region-series-48h'].getOption();
      const o7 = window.__dashboard.charts['region-series-7d'].getOption();
      return { n48: o48.series[0].data.length, n7: o7.series[0].data.length, lines: o7.series.length,
        yName: o48.yAxis[0].name };
    });
    assert.equal(series.lines, 2, 'temperature and 3-hours-before lines');
    assert.equal(series.yName, '°C');
    assert.ok(series.n48 <= 48 && series.n48 > 0 && series.n7 >= series.n48, JSON.stringify(series));

    // Toulouse: communes choropleth and station points, station chart with band and rain.
    if (meta.stations) {
      await page.locator(byTestId('toulouse-map')).scrollIntoViewIfNeeded();
      const t = await page.evaluate(() => {
        const o = window.__dashboard.charts['toulouse-map'].getOption();
        const s = window.__dashboard.charts['station-chart'].getOption();
        return { types: o.series.map((x) => x.type), stations: o.series[1].data.length,
          chartSeries: s.series.map((x) => x.type), yNames: s.yAxis.map((y) => y.name) };
      });
      assert.deepEqual(t.types, ['map', 'scatter']);
      assert.ok(t.stations > 0);
      assert.deepEqual(t.yNames, ['°C', 'mm']);
      assert.ok(t.chartSeries.includes('bar'));
      if (USING_FIXTURE) {
        assert.equal(t.stations, 3);
        const stationTip = await hoverTooltip(page, 'toulouse-map', [1.374, 43.574]);
        assert.ok(/Toulouse/.test(stationTip) && stationTip.includes('9,3 °C') && stationTip.includes('81 %')
          && stationTip.includes('7 km/h') && stationTip.includes('0,0 mm'), stationTip);
      }
      await page.mouse.move(0, 0);
    }
    await screenshot(page, 'desktop');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('phone 390x844: stacked panels, no horizontal overflow', async () => {
  useMeta(allFresh());
  const { page, problems, close } = await open(chrome.browser, server.url, { width: 390, height: 844, hasTouch: true });
  try {
    const m = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
      widest: Math.max(...[...document.querySelectorAll('body *')].map((e) => e.getBoundingClientRect().right)),
    }));
    assert.ok(m.scroll <= m.client, `scrollWidth ${m.scroll} > ${m.client}`);
    assert.ok(m.widest <= 390.5, `an element ends at ${m.widest}px`);
    const map = await page.locator(byTestId('france-map')).boundingBox();
    const series = await page.locator(byTestId('region-series')).boundingBox();
    assert.ok(series.y >= map.y + map.height - 1, 'series stacked under the map');
    assert.ok(map.width >= 300, 'map uses the width');
    const font = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(font >= 16, 'readable body text');
    await screenshot(page, 'phone');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('tv 1920x1080: large type, no interaction, rotates, reloads when generated_at changes', async () => {
  useMeta(allFresh());
  const { page, problems, close } = await open(chrome.browser, `${server.url}?mode=tv&rotate=1.5&poll=1`,
    { width: 1920, height: 1080 });
  try {
    const look = await page.evaluate(() => ({
      body: parseFloat(getComputedStyle(document.body).fontSize),
      h1: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
      pickers: getComputedStyle(document.querySelector('.picker')).display,
      events: getComputedStyle(document.querySelector('main')).pointerEvents,
      tooltip: window.__dashboard.charts['france-map'].getOption().tooltip[0].show,
    }));
    assert.ok(look.body >= 22 && look.h1 >= 40, JSON.stringify(look));
    assert.equal(look.pickers, 'none');
    assert.equal(look.events, 'none');
    assert.equal(look.tooltip, false);
    await screenshot(page, 'tv-1');

    // Rotation: the visible panel (or, with one panel, the shown region) changes.
    const shown = () => page.evaluate(() => `${document.body.dataset.slide}/${window.__dashboard.state.region}`);
    const first = await shown();
    // Waits for the change itself: a fixed pause after the first rotation could, on a loaded
    // machine, land after the second, which brings two panels back to the first.
    await page.waitForFunction(
      (before) => `${document.body.dataset.slide}/${window.__dashboard.state.region}` !== before,
      first, { timeout: 15000 });
    assert.ok(Number(await page.evaluate(() => document.body.dataset.rotations)) >= 1);
    const visible = await page.locator('.panel.active').count();
    assert.equal(visible, 1, 'one panel at a time');
    await screenshot(page, 'tv-2');

    // Polling: a new generated_at makes the page reload the data.
    const newer = JSON.parse(allFresh());
    newer.generated_at = '2099-01-01T00:00:00Z';
    useMeta(JSON.stringify(newer));
    await page.waitForFunction(() => window.__dashboard.state.generatedAt === '2099-01-01T00:00:00Z',
      null, { timeout: 5000 });
    assert.ok(Number(await page.evaluate(() => document.body.dataset.reloads)) >= 1);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('stale banner appears only when meta says a source is stale', async () => {
  useMeta(someStale());
  const stale = await open(chrome.browser, server.url);
  try {
    const banner = stale.page.locator(byTestId('banner'));
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.equal(await banner.evaluate((el) => el.classList.contains('stale')), true);
    const staleSource = JSON.parse(someStale()).sources.find((s) => s.stale);
    const staleName = staleSource.display_name || staleSource.name; // the page shows display names
    assert.match(await banner.innerText(), new RegExp(`Attention.*${staleName}`));
    assert.ok(await banner.isVisible());
    await screenshot(stale.page, 'stale');
    assert.deepEqual(stale.problems, []);
  } finally {
    await stale.close();
  }
  useMeta(allFresh());
  const fresh = await open(chrome.browser, server.url);
  try {
    assert.equal(await fresh.page.locator('[role="alert"]').count(), 0);
    assert.equal(await fresh.page.locator(`${byTestId('banner')}.stale`).count(), 0);
  } finally {
    await fresh.close();
  }
});

test('English labels when meta.language is "en"', async () => {
  useMeta(JSON.stringify({ ...JSON.parse(allFresh()), language: 'en' }));
  const { page, problems, close } = await open(chrome.browser, server.url);
  try {
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent(byTestId('title')), 'Hourly temperatures');
    assert.match(await page.innerText(byTestId('banner')), /All sources are up to date/);
    const tip = await hoverTooltip(page, 'france-map', [1.444, 43.604]);
    assert.match(tip, /Temperature/);
    if (USING_FIXTURE) assert.ok(tip.includes('9.1 °C') && tip.includes('Measurement points : 37'), tip);
    await screenshot(page, 'english');
    assert.deepEqual(problems, []);
  } finally {
    await close();
    useMeta(null);
  }
});

test('air quality: stations by index class, NO2/PM10 beside the wind with gaps and exceedances, rose', async () => {
  useMeta(allFresh());
  const { page, problems, close } = await open(chrome.browser, server.url);
  try {
    const panel = page.locator(byTestId('panel-air'));
    if (!meta.air_quality) {
      assert.equal(await panel.isHidden(), true, 'no air-quality data: no panel');
      assert.deepEqual(problems, []);
      return;
    }
    const list = readJson(path.join(site, 'data', meta.air_quality.file));
    assert.equal(await panel.isVisible(), true);
    assert.equal(await page.textContent(byTestId('air-label')), meta.air_quality.label);
    assert.equal(meta.air_quality.label, 'Indice indicatif, calculé à partir des mesures des stations');

    // Every station on the map, coloured by its index class (grey without one).
    const points = await page.evaluate(() => window.__dashboard.charts['air-map'].getOption().series[0].data.length);
    assert.equal(points, list.stations.length);
    if (USING_FIXTURE) {
      for (const s of AIR.stations) {
        const color = await page.evaluate((code) => window.__dashboard.airStationColor(code), s.code);
        assert.equal(color, s.index ? AIR.indexColors[s.index.class] : AIR.indexColors.none, s.code);
      }
    }

    // The chosen station's file: one time axis, gaps kept, exceedances shaded.
    const chosen = list.stations.find((s) => s.index && s.file) || list.stations.find((s) => s.file);
    await page.waitForFunction((code) => window.__dashboard.airLoaded === code, chosen.code);
    const file = readJson(path.join(site, 'data', chosen.file));
    const o = await page.evaluate(() => {
      const c = window.__dashboard.charts['air-chart'].getOption();
      return { names: c.series.map((x) => x.name), connect: c.series.map((x) => x.connectNulls),
        axes: c.series.map((x) => x.yAxisIndex || 0), no2: c.series[0].data,
        areas: c.series[0].markArea ? c.series[0].markArea.data : [], xAxes: c.xAxis.length };
    });
    assert.deepEqual(o.names.slice(0, 2), ['NO2', 'PM10']);
    assert.match(o.names[2], /Vent/);
    assert.deepEqual(o.connect, [false, false, false], 'a gap stays a gap');
    assert.deepEqual(o.axes, [0, 0, 1], 'wind on its own axis');
    assert.equal(o.xAxes, 1, 'one time axis');
    assert.equal(o.no2.length, file.hours.length);
    const no2 = file.pollutants.NO2 || [];
    file.hours.forEach((hour, i) => {
      assert.equal(o.no2[i][0], hour);
      assert.equal(o.no2[i][1], no2[i] ?? null, hour);
    });
    const no2Exceedances = file.exceedances.filter((e) => e.pollutant === 'NO2');
    assert.equal(o.areas.length, no2Exceedances.length);
    no2Exceedances.forEach((e, i) => {
      assert.equal(o.areas[i][0].xAxis, e.start);
      assert.equal(o.areas[i][1].xAxis, e.end);
    });
    if (USING_FIXTURE) {
      const gap = file.hours.indexOf(AIR.gapHours[0]);
      assert.equal(o.no2[gap][1], null, 'the NO2 gap');
      assert.ok(o.no2[gap - 1][1] !== null && o.no2[gap + AIR.gapHours.length][1] !== null);
      assert.equal(o.areas.length, 1);
      assert.equal(o.areas[0][0].xAxis, AIR.exceedance.hours[0]);
    }

    // The rose: a polar bar of 16 sectors per pollutant, the calm hours apart.
    const rose = await page.evaluate(() => {
      const c = window.__dashboard.charts['air-rose'].getOption();
      return { sectors: c.angleAxis[0].data.length, types: c.series.map((x) => `${x.type}/${x.coordinateSystem}`),
        names: c.series.map((x) => x.name), data: c.series.map((x) => x.data) };
    });
    assert.equal(rose.sectors, 16);
    assert.deepEqual(rose.types, ['bar/polar', 'bar/polar', 'bar/polar', 'bar/polar']);
    assert.deepEqual(rose.names, ['NO2', 'PM10', 'PM2.5', 'O3']);
    rose.names.forEach((name, k) => {
      assert.deepEqual(rose.data[k], file.rose.sectors.map((x) => x.means[name] ?? null), name);
    });
    assert.ok((await page.textContent(byTestId('air-calm'))).includes(String(file.rose.calm_hours)));
    await page.locator(byTestId('panel-air')).scrollIntoViewIfNeeded();
    await screenshot(page, 'air-quality');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('without air_quality in meta.json the page asks for no air-quality file and shows no panel', async () => {
  useMeta(withMeta({ air_quality: null }));
  const { page, problems, close } = await open(chrome.browser, server.url);
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('air-quality')) asked.push(r.url()); });
  try {
    assert.equal(await page.locator(byTestId('panel-air')).isHidden(), true);
    await page.reload();
    await page.waitForFunction(() => window.__dashboard && window.__dashboard.ready);
    assert.deepEqual(asked, []);
    assert.equal(await page.locator(byTestId('panel-toulouse')).isHidden(), !meta.stations);
    assert.deepEqual(problems, []);
  } finally {
    await close();
    useMeta(null);
  }
});

// The site of dashboard.normalised.site (tests/integration/dashboard/normalised_panel_test.cpp)
// seeds these: FR50044's NO2 over 20 days from 2026-02-20 with 2026-03-04 missing, "ZFE phase 1"
// on 2026-03-02 with its effect, "Bus électriques" (2026-02-25) without one; PM10 over 3 days.
const IMPACT = { station: 'FR50044', days: 20, gap: '2026-03-04', zfe: '2026-03-02',
  effect: 'effet −23 % [−27 %, −19 %]', bus: '2026-02-25' };

test('did it work: observed against normalised daily means, interventions marked with their effect, the increment', async () => {
  useMeta(allFresh());
  const { page, problems, close } = await open(chrome.browser, server.url);
  try {
    const panel = page.locator(byTestId('panel-impact'));
    const impact = meta.air_quality_impact;
    if (!impact) {
      assert.equal(await panel.isHidden(), true, 'no normalised series nor increment: no panel');
      assert.deepEqual(problems, []);
      return;
    }
    assert.equal(await panel.isVisible(), true);
    const chartOf = () => page.evaluate(() => {
      const c = window.__dashboard.charts['impact-chart'].getOption();
      return { names: c.series.map((x) => x.name), data: c.series.map((x) => x.data),
        connect: c.series.map((x) => x.connectNulls),
        marks: c.series.map((x) => (x.markLine ? x.markLine.data.map((d) => ({ x: d.xAxis, name: d.name,
          label: d.label.formatter })) : [])) };
    });
    const station = impact.stations[0];
    assert.ok(station, 'the seeded site has a normalised series');
    const pollutant = station.pollutants.includes('NO2') ? 'NO2' : station.pollutants[0];
    await page.waitForFunction((key) => window.__dashboard.impactLoaded === key, `${station.code}/${pollutant}`);
    const file = readJson(path.join(site, 'data', station.file));
    const series = file.pollutants[pollutant];

    // Two series, observed then normalised, one point per day of the file, gaps kept.
    const o = await chartOf();
    assert.deepEqual(o.names, ['Observé', 'Normalisé (météo moyenne)']);
    assert.deepEqual(o.connect, [false, false], 'a missing day stays a gap');
    assert.equal(o.data[0].length, series.days.length);
    assert.equal(o.data[1].length, series.days.length);
    series.days.forEach((d, i) => {
      assert.deepEqual(o.data[0][i], [d, series.observed_ugm3[i]], d);
      assert.deepEqual(o.data[1][i], [d, series.normalised_ugm3[i]], d);
    });
    // A vertical line at each intervention inside the series, on the normalised one.
    const first = series.days[0], last = series.days[series.days.length - 1];
    const inside = series.interventions.filter((iv) => iv.date >= first && iv.date <= last);
    assert.deepEqual(o.marks[0], []);
    assert.deepEqual(o.marks[1].map((m) => [m.x, m.name]), inside.map((iv) => [iv.date, iv.name]));

    const effects = await page.textContent(byTestId('impact-effects'));
    const model = await page.textContent(byTestId('impact-model'));
    if (station.code === IMPACT.station) {
      assert.equal(series.days.length, IMPACT.days);
      const gap = series.days.indexOf(IMPACT.gap);
      assert.equal(o.data[0][gap][1], null, 'the observed gap');
      assert.equal(o.data[1][gap][1], null, 'the normalised gap');
      assert.deepEqual(o.marks[1], [
        { x: IMPACT.bus, name: 'Bus électriques', label: 'Bus électriques\neffet non estimé' },
        { x: IMPACT.zfe, name: 'ZFE phase 1', label: `ZFE phase 1\n${IMPACT.effect}` },
      ]);
      assert.ok(effects.includes(`ZFE phase 1 (02/03/2026) — ${IMPACT.effect} (brut −25 %)`), effects);
      assert.ok(effects.includes('Bus électriques (25/02/2026) — effet non estimé'), effects);
      assert.match(model, /R² 0,74 et RMSE 7,3 µg\/m³/);
      assert.match(model, /xgboost 1\.7\.4 gbtree, graine 7, appris du 01\/01\/2026 au 01\/05\/2026/);
    }
    assert.equal(await page.getAttribute(byTestId('impact-doc'), 'href'), 'impact.md');
    assert.match(await page.textContent(byTestId('impact-caveats')), /intervalle contient 0/);

    await panel.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // the chart's animation, for the screenshot
    await screenshot(page, 'did-it-work');

    // Another pollutant of the station: its own days; interventions outside them are not drawn.
    if (station.pollutants.length > 1) {
      const other = station.pollutants.find((p) => p !== pollutant);
      await page.selectOption(byTestId('impact-pollutant-select'), other);
      await page.waitForFunction((key) => window.__dashboard.impactLoaded === key, `${station.code}/${other}`);
      const p = await chartOf();
      const otherSeries = file.pollutants[other];
      assert.equal(p.data[1].length, otherSeries.days.length);
      const within = otherSeries.interventions.filter((iv) => iv.date >= otherSeries.days[0]
        && iv.date <= otherSeries.days[otherSeries.days.length - 1]);
      assert.equal(p.marks[1].length, within.length);
      if (station.code === IMPACT.station) assert.equal(p.marks[1].length, 0);
    }

    // The traffic minus background increment, one line per pollutant, when the site has one.
    const box = page.locator(byTestId('impact-increment-box'));
    if (impact.increment) {
      assert.equal(await box.isVisible(), true);
      const increment = readJson(path.join(site, 'data', impact.increment));
      const inc = await page.evaluate(() => window.__dashboard.charts['impact-increment'].getOption().series
        .map((x) => ({ name: x.name, data: x.data })));
      assert.deepEqual(inc.map((x) => x.name), Object.keys(increment.pollutants));
      inc.forEach((x) => {
        const s = increment.pollutants[x.name];
        assert.deepEqual(x.data, s.days.map((d, i) => [d, s.increment_ugm3[i]]));
      });
      if (station.code === IMPACT.station) assert.deepEqual(inc[0].data.map((x) => x[1]), [30, 22]);
    } else {
      assert.equal(await box.isHidden(), true);
    }
    await screenshot(page, 'did-it-work-other-pollutant');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

// One active alert and a two-hour forecast added to the site's first station with data, served in
// place of its files (meta.json names alerts.json; stations.json gains the forecast fields).
function alertsAndForecastSite(station) {
  const hourly = station.hourly;
  const last = hourly[hourly.length - 1];
  const lastMs = Date.parse(last.hour);
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const start = hourly[Math.max(0, hourly.length - 6)].hour;
  const alert = { kind: 'strong_wind', level: 'orange', level_rank: 2, scope_type: 'station',
    source: 'toulouse-stations', scope_id: station.dataset_id, place: 'Meteopole (Toulouse)', start, end: null,
    active: true, peak: 95, peak_at: start, unit: 'km/h', threshold: 80,
    note: 'indicative, not official vigilance' };
  const forecast = [
    { target_time: iso(lastMs + 3600e3), horizon_h: 1, value: 12.5, model: 'ridge', mae: 0.8 },
    { target_time: iso(lastMs + 2 * 3600e3), horizon_h: 2, value: 13.25, model: 'ridge', mae: 1.1 },
  ];
  const maximum = { target_time: iso(lastMs + 24 * 3600e3), horizon_h: 24, value: 15.5, model: 'ridge', mae: 1.5 };
  const stations = readJson(path.join(site, 'data', meta.stations));
  stations.stations = stations.stations.map((s) => (s.dataset_id === station.dataset_id
    ? { ...s, forecast, tomorrow_maximum: maximum } : s));
  return { alert, forecast, last, stations: JSON.stringify(stations),
    alerts: JSON.stringify({ note: alert.note, alerts: [alert] }) };
}

test('alerts and forecast: banner lists the active alert, the station chart marks it and continues dashed', async (t) => {
  if (!meta.stations) return t.skip('no station network in this site');
  const station = readJson(path.join(site, 'data', meta.stations)).stations.find((s) => s.hourly.length);
  const fake = alertsAndForecastSite(station);

  // Without alerts in meta.json (a database before schema 8) the banner stays hidden.
  useMeta(JSON.stringify({ ...JSON.parse(allFresh()), alerts: null }));
  let opened = await open(chrome.browser, server.url);
  try {
    assert.equal(await opened.page.locator(byTestId('alerts')).isHidden(), true);
  } finally {
    await opened.close();
  }

  useMeta(withMeta({ alerts: 'alerts.json' }));
  server.overrides.set('/data/alerts.json', fake.alerts);
  server.overrides.set('/data/' + meta.stations, fake.stations);
  opened = await open(chrome.browser, server.url);
  const { page, problems } = opened;
  try {
    const banner = page.locator(byTestId('alerts'));
    assert.equal(await banner.isVisible(), true);
    assert.equal(await banner.getAttribute('role'), 'alert');
    const text = await banner.innerText();
    for (const part of ['Alertes en cours', 'Vent fort — niveau orange', 'Meteopole (Toulouse)', 'depuis le',
      'pic 95,0 km/h (seuil 80,0 km/h)', 'Indicatif, pas une vigilance officielle.']) {
      assert.ok(text.includes(part), `"${part}" in ${text}`);
    }

    await page.selectOption(byTestId('station-select'), station.dataset_id);
    const chartState = await page.evaluate(() => {
      const o = window.__dashboard.charts['station-chart'].getOption();
      const forecast = o.series.find((s) => s.id === 'forecast');
      const mean = o.series.find((s) => s.markArea && s.markArea.data && s.markArea.data.length);
      return { dashed: forecast && forecast.lineStyle.type, data: forecast && forecast.data.map((d) => d.value),
        area: mean ? mean.markArea.data.map(([a, b]) => [a.xAxis, b.xAxis, a.itemStyle.color]) : null };
    });
    assert.equal(chartState.dashed, 'dashed');
    // The dashed line starts on the last observed mean, then the forecast's hours.
    assert.deepEqual(chartState.data, [[fake.last.hour, fake.last.temperature_mean],
      ...fake.forecast.map((p) => [p.target_time, p.value])]);
    assert.deepEqual(chartState.area, [[fake.alert.start, fake.last.hour, '#F67E4B']]);
    assert.equal(await page.textContent(byTestId('station-tomorrow')),
      'Maximum prévu demain : 15,5 °C (modèle ridge, MAE 1,5 °C)');

    // The forecast point's tooltip gives the model and its MAE at that horizon.
    await page.locator(byTestId('station-chart')).scrollIntoViewIfNeeded();
    const tip = await page.evaluate(() => {
      const c = window.__dashboard.charts['station-chart'];
      const index = c.getOption().series.findIndex((s) => s.id === 'forecast');
      c.dispatchAction({ type: 'showTip', seriesIndex: index, dataIndex: 2 });
      const boxes = [...c.getDom().querySelectorAll('div[style*="z-index"]')];
      return boxes.length ? boxes[boxes.length - 1].innerText : '';
    });
    assert.ok(tip.includes('modèle ridge') && tip.includes('MAE 1,1 °C à h+2') && tip.includes('13,3 °C'), tip);
    await screenshot(page, 'alerts-forecast');
    assert.deepEqual(problems, []);
  } finally {
    server.overrides.delete('/data/alerts.json');
    server.overrides.delete('/data/' + meta.stations);
    useMeta(null);
    await opened.close();
  }
});
