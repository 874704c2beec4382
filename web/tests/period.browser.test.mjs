// The "Période" view in Chromium: on a site with daily data (the fixture's
// daily-toulouse-stations.json, or a generated site's daily-<source>.json) the cards show the
// figures web/src/period.js computes (itself checked against `query period` by the e2e test),
// the charts draw a day without a row as a gap, the comparison sits beside each figure, the form
// is labelled and reachable by keyboard, and the CSV download is what is shown.
// Run: node --test web/tests/   (METEO_DASHBOARD_DIR=<generated dir> to test a real dashboard).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { siteDir, serve, launch, open, screenshot, readJson, USING_FIXTURE } from './helpers.mjs';

await import('../src/period.js');
const P = globalThis.MeteoPeriod;

let site, server, chrome, meta, daily;

before(async () => {
  site = siteDir();
  meta = readJson(path.join(site, 'data', 'meta.json'));
  daily = (meta.daily || []).map((d) => readJson(path.join(site, 'data', d.file)));
  server = await serve(site);
  chrome = await launch();
});

after(async () => {
  await chrome?.close();
  await server?.close();
  if (USING_FIXTURE && site) fs.rmSync(site, { recursive: true, force: true });
});

const byTestId = (id) => `[data-testid="${id}"]`;

// Sets a date input as a user would (type the value, then the change event the page listens to).
async function setDate(page, id, value) {
  await page.locator(byTestId(id)).fill(value);
  await page.locator(byTestId(id)).dispatchEvent('change');
}

test('period: cards, comparison, gaps in the charts and the CSV of what is shown', async (t) => {
  if (!daily.length) return t.skip('this site has no daily data (meta.daily is empty)');
  const file = daily[0];
  const station = file.stations[0];
  const newest = file.newest_day;
  const from = P.addDays(newest, -13);
  const compareFrom = P.addDays(from, -14);
  const { page, problems, close } = await open(chrome.browser, server.url);
  try {
    assert.equal(await page.locator(byTestId('panel-period')).isHidden(), false);
    // Every input has its label (the accessible name comes from the <label> around it).
    for (const id of ['period-stations', 'period-from', 'period-to', 'period-compare']) {
      const name = await page.locator(byTestId(id)).evaluate((el) => el.labels[0]?.textContent.trim() ?? '');
      assert.notEqual(name, '', id + ' has no label');
    }
    await page.locator(byTestId('period-stations')).selectOption(file.source + '|' + station.key);
    await setDate(page, 'period-from', from);
    await setDate(page, 'period-to', newest);
    await setDate(page, 'period-compare', compareFrom);

    // The card's figures: those of period.js over [from, newest + 1) and the comparison beside.
    const expected = P.periodFigures(station, from, P.addDays(newest, 1));
    const compared = P.periodFigures(station, compareFrom, from);
    const card = page.locator(byTestId('period-card'));
    assert.equal(await card.count(), 1);
    for (const key of P.FIGURES) {
      const dd = card.locator(`dd[data-figure="${key}"]`);
      const value = await dd.getAttribute('data-value');
      if (expected[key] === null) assert.equal(value, '', key);
      else assert.ok(Math.abs(Number(value) - expected[key]) < 1e-9, `${key}: ${value} vs ${expected[key]}`);
      assert.equal(await dd.locator('.compare').count(), 1, key + ' has its comparison');
    }
    if (USING_FIXTURE) {
      // The fixture: 13 of 14 days (18 November has no row), the known comparison figure.
      assert.match(await card.locator('dd[data-figure="days_observed"]').innerText(), /^13 sur 14/);
      assert.ok(compared.temperature_mean !== null);
    }
    const meanText = await card.locator('dd[data-figure="temperature_mean"]').innerText();
    // The comparison and the difference beside the figure ("pas de donnée" when a period has none).
    if (compared.temperature_mean === null || expected.temperature_mean === null) {
      assert.match(meanText, /\(comparaison .*, écart —\)/);
    } else {
      assert.match(meanText, /°C \(comparaison .* °C, écart [+−±].* °C\)/);
    }

    // Charts: one category per day of the period; a day without a row is null, never 0.
    const charts = await page.evaluate(() => {
      const c = window.__dashboard.charts;
      const opt = (id) => c[id].getOption();
      return {
        dates: opt('period-temperature').xAxis[0].data,
        mean: opt('period-temperature').series.find((s) => s.name.endsWith('Moyenne')).data,
        rain: opt('period-rain').series[0].data,
        pressure: opt('period-pressure').series[0].data,
      };
    });
    const days = P.stationDays(station, from, P.addDays(newest, 1));
    assert.deepEqual(charts.dates, days.map((d) => d.day));
    assert.deepEqual(charts.rain, days.map((d) => d.rain_sum));
    assert.deepEqual(charts.pressure, days.map((d) => d.pressure_mean));
    assert.deepEqual(charts.mean, days.map((d) => d.temperature_mean));
    if (USING_FIXTURE) {
      const gap = charts.dates.indexOf('2026-11-18');
      assert.ok(gap >= 0);
      assert.equal(charts.rain[gap], null);
      assert.equal(charts.mean[gap], null);
    }

    // The table alternative: reachable by keyboard (Tab to its summary, Enter opens it).
    const summary = page.locator(byTestId('period-table-toggle'));
    await summary.focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(byTestId('period-table-box')).evaluate((d) => d.open), true);
    assert.equal(await page.locator(`${byTestId('period-table')} tbody tr`).count(), 2); // period, comparison
    assert.equal(await page.locator(`${byTestId('period-days-table')} tbody tr`).count(), 14);

    // The CSV download: the figures with the columns of `query period --format csv`.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(byTestId('period-csv')).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.equal(csv, await page.evaluate(() => window.__dashboard.periodCsv('figures')));
    const [header, row] = csv.split('\r\n');
    assert.match(header, /^Source,Station,Name,From,To,DaysObserved,TemperatureMean,.*,CompareHeavyRainDays$/);
    const cells = row.split(',');
    assert.equal(cells[1], station.key);
    assert.equal(cells[3], from);
    assert.equal(cells[4], P.addDays(newest, 1)); // exclusive, as --to
    assert.equal(Number(cells[5]), expected.days_observed);
    const daysCsv = await page.evaluate(() => window.__dashboard.periodCsv('days'));
    assert.equal(daysCsv.trimEnd().split('\r\n').length, 1 + 14);

    // A comparison that does not start before the period is refused in words.
    await setDate(page, 'period-compare', from);
    assert.notEqual((await page.locator(byTestId('period-message')).innerText()).trim(), '');
    assert.equal(await card.count(), 0);
    await setDate(page, 'period-compare', compareFrom);
    await screenshot(page, 'period-desktop');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
