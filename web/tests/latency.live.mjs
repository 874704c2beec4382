// The live path end to end, in real processes: the portal simulator publishes a new record, a
// `meteo-etl watch` polling it every 2 s loads it, `meteo-etl serve` sees the run in the ledger
// and announces it over /events, and Chromium's page redraws the new value by itself, on the
// desktop and on the TV layout. The latency goal: from the record appearing on the portal to the
// page showing it, under poll interval + 2 s.
//
// Run by ctest (tests/CMakeLists.txt, `dashboard.browser.latency`, label browser), which starts
// the private MariaDB and passes METEO_TEST_DB_DIR, METEO_ETL and METEO_PORTAL_SIM. Every process
// started here is stopped by its PID at the end, failed or not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WEB, launch, open, screenshot } from './helpers.mjs';

const POLL_SECONDS = 2;
const GOAL_MS = (POLL_SECONDS + 2) * 1000;
const SHARED = path.resolve(process.env.METEO_SHARED_DIR || path.join(WEB, '../../shared'), 'data');
const HOUR_MS = 3600e3;
const QUARTER_MS = 15 * 60e3;
const DATASET = '01-station-meteo-toulouse-meteopole'; // the catalogue's first: --datasets 1
const FIRST_VALUE = 31.5; // planted on the record that appears first (desktop's change)
const SECOND_VALUE = -3.5; // and on the one after it (the TV's change)

const started = []; // { name, child } of every process started here
const cleanups = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meteo-latency-'));

after(async () => {
  for (const { child } of started.reverse()) await stop(child);
  for (const cleanup of cleanups.reverse()) await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

// SIGTERM by PID, then SIGKILL if it is still there after 10 s.
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    try { process.kill(child.pid, 'SIGTERM'); } catch { clearTimeout(force); resolve(); }
  });
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const logOf = (name) => path.join(dir, `${name}.log`);
const tail = (name) => (fs.existsSync(logOf(name)) ? fs.readFileSync(logOf(name), 'utf8').slice(-3000) : '');

function start(name, argv, env) {
  const out = fs.openSync(logOf(name), 'a', 0o600);
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  started.push({ name, child });
  return child;
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

// The private server that ctest's `mariadb` fixture started (tests/harness/mariadb.sh's env file).
function privateServer() {
  const envFile = path.join(process.env.METEO_TEST_DB_DIR || '', 'env');
  assert.ok(fs.existsSync(envFile), `no private MariaDB: ${envFile} (run through ctest)`);
  return Object.fromEntries(fs.readFileSync(envFile, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
}

function sql(server, statement) {
  const result = spawnSync('mariadb', ['--no-defaults', `--socket=${server.METEO_TEST_DB_SOCKET}`,
    `--user=${server.METEO_TEST_DB_USER}`, '-e', statement], { encoding: 'utf8' });
  assert.equal(result.status, 0, `${statement}: ${result.stderr}`);
}

// Moves the portal's present (the simulator re-reads --now-file on every request): by rename, so
// a request never reads half a file.
function movePortalTo(nowFile, ms) {
  fs.writeFileSync(`${nowFile}.tmp`, `${iso(ms)}\n`);
  fs.renameSync(`${nowFile}.tmp`, nowFile);
}

const shown = (page) => page.evaluate(() => ({
  headline: document.querySelector('[data-testid="toulouse-headline"]').dataset.value,
  station: document.querySelector('[data-testid="station-latest"]').dataset.temperature,
  marker: window.__marker,
  updates: Number(document.body.dataset.updates || 0),
}));

// Resolves with the milliseconds from `t0` until `page` shows `value` (headline and station).
async function latencyOf(page, value, t0) {
  await page.waitForFunction((v) => document.querySelector('[data-testid="toulouse-headline"]').dataset.value === v
    && document.querySelector('[data-testid="station-latest"]').dataset.temperature === v,
  String(value), { polling: 20, timeout: 20000 });
  return Date.now() - t0;
}

test('a new portal record reaches the open pages by itself within poll interval + 2 s', { timeout: 150000 }, async () => {
  for (const bin of [process.env.METEO_ETL, process.env.METEO_PORTAL_SIM]) {
    assert.ok(bin && fs.existsSync(bin), `set METEO_ETL and METEO_PORTAL_SIM to the built binaries (${bin})`);
  }
  const server = privateServer();
  const database = `meteo_latency_${process.pid}`;
  sql(server, `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  cleanups.push(() => sql(server, `DROP DATABASE IF EXISTS \`${database}\``));

  // The portal's present: one hour before the last full hour, so that both records this test
  // publishes (on full hours: never missing from the series) are in the tool's past.
  const first = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const second = first + HOUR_MS;
  const nowFile = path.join(dir, 'portal-now');
  const events = path.join(dir, 'events.json');
  fs.writeFileSync(events, JSON.stringify([
    { dataset: DATASET, from: iso(first), to: iso(first + QUARTER_MS), field: 'temperature', value: FIRST_VALUE },
    { dataset: DATASET, from: iso(second), to: iso(second + QUARTER_MS), field: 'temperature', value: SECOND_VALUE },
  ]));
  const portFile = path.join(dir, 'portal-port');
  start('portal-sim', [process.env.METEO_PORTAL_SIM, '--host', '127.0.0.1', '--port', '0', '--port-file', portFile,
    '--stations', path.join(SHARED, 'toulouse/stations-meteo-en-place.exports.json'),
    '--catalog', path.join(SHARED, 'toulouse/catalog-v1-search-q-meteo.json'),
    '--now', iso(first), '--from', iso(first - 6 * HOUR_MS), '--datasets', '1', '--no-future-row',
    '--events', events, '--now-file', nowFile], { PATH: '/usr/bin:/bin' });
  const portalPort = await until('the portal simulator', async () => fs.readFileSync(portFile, 'utf8').trim(), 15000);

  const port = await freePort();
  const config = path.join(dir, 'meteo-etl.toml');
  fs.writeFileSync(config, [
    '[database]', `socket = "${server.METEO_TEST_DB_SOCKET}"`, `port = ${server.METEO_TEST_DB_PORT}`,
    `user = "${server.METEO_TEST_DB_USER}"`, `name = "${database}"`,
    '[archive]', `root = "${path.join(dir, 'archive')}"`,
    '[[region_sets]]', 'name = "toulouse-communes"',
    `location = "${path.join(SHARED, 'geo/communes-31-haute-garonne.geojson')}"`,
    '[[sources]]', 'name = "toulouse"', 'type = "opendatasoft-stations"', 'display_name = "Toulouse Métropole"',
    `base_url = "http://127.0.0.1:${portalPort}"`, 'dataset_pattern = "station-meteo"',
    `start = "${iso(first - 6 * HOUR_MS)}"`, 'region_sets = ["toulouse-communes"]', `poll_seconds = ${POLL_SECONDS}`,
    '[dashboard]', `out = "${path.join(dir, 'site')}"`, 'language = "en"',
    '[serve]', `listen = "127.0.0.1:${port}"`, 'heartbeat_seconds = 1', 'ledger_poll_ms = 200', '',
  ].join('\n'), { mode: 0o600 });
  const env = { PATH: '/usr/bin:/bin', METEO_ETL_CONFIG: config };
  for (const args of [['migrate'], ['regions', 'load']]) {
    const result = spawnSync(process.env.METEO_ETL, args, { env, encoding: 'utf8' });
    assert.equal(result.status, 0, `meteo-etl ${args.join(' ')}: ${result.stderr}`);
  }

  start('watch', [process.env.METEO_ETL, 'watch'], env);
  start('serve', [process.env.METEO_ETL, 'serve', '--listen', `127.0.0.1:${port}`], env);
  const url = `http://127.0.0.1:${port}/`;
  // The first cycle loaded the six hours before the portal's present, and serve wrote them.
  await until('the first run on the served site', async () => {
    const meta = await (await fetch(`${url}data/meta.json`)).json();
    if (!meta.stations) return false;
    const stations = await (await fetch(`${url}data/${meta.stations}`)).json();
    return stations.stations.some((s) => s.latest && s.latest.temperature_c !== null);
  }, 30000).catch((error) => { throw new Error(`${error.message}\nwatch:\n${tail('watch')}\nserve:\n${tail('serve')}`); });

  const chrome = await launch();
  cleanups.push(() => chrome.close());
  const desktop = await open(chrome.browser, url, { width: 1366, height: 900 });
  // The kiosk turns its panels every 2 s here, so the Toulouse panel comes round within the test.
  const tv = await open(chrome.browser, `${url}?mode=tv&rotate=2`, { width: 1920, height: 1080 });
  const pages = { desktop, tv };
  for (const [name, { page }] of Object.entries(pages)) {
    await page.waitForFunction(() => document.querySelector('[data-testid="live"]').dataset.state === 'connected'
      && document.querySelector('[data-testid="toulouse-headline"]').dataset.value !== '', null, { timeout: 15000 });
    await page.evaluate(() => { window.__marker = 1; }); // gone if the page reloads
    const before = await shown(page);
    assert.notEqual(before.headline, String(FIRST_VALUE), `${name} already shows the new value`);
    assert.equal(await page.evaluate(() => document.body.classList.contains('tv')), name === 'tv');
  }

  // Each change is timed on both pages; desktop's then the TV's, as the goal names them.
  for (const [change, moment, value] of [['desktop', first, FIRST_VALUE], ['tv', second, SECOND_VALUE]]) {
    movePortalTo(nowFile, moment + 1000); // the record at `moment` is published from now on
    const t0 = Date.now();
    const latencies = await Promise.all(Object.values(pages).map(({ page }) => latencyOf(page, value, t0)));
    const measured = Object.fromEntries(Object.keys(pages).map((name, i) => [name, latencies[i]]));
    console.log(`latency (${change} change, portal record -> page): desktop ${measured.desktop} ms, TV ${measured.tv} ms`
      + ` (goal < ${GOAL_MS} ms)`);
    // The TV shows it on screen once its kiosk reaches the Toulouse panel.
    await tv.page.waitForFunction(() => {
      const headline = document.querySelector('[data-testid="toulouse-headline"]');
      return document.body.dataset.slide === 'panel-toulouse' && headline.getClientRects().length > 0
        && headline.textContent.includes('°');
    }, null, { polling: 50, timeout: 10000 });
    for (const [name, { page }] of Object.entries(pages)) {
      const now = await shown(page);
      assert.equal(now.headline, String(value), `${name} lost the new value`);
      assert.equal(now.marker, 1, `${name} reloaded instead of updating in place`);
      assert.ok(now.updates >= 1, `${name} counted no live update`);
      await screenshot(page, `latency-${name}-after-${change}-change`);
    }
    for (const [name, ms] of Object.entries(measured)) assert.ok(ms < GOAL_MS, `${change} change on ${name}: ${ms} ms, goal < ${GOAL_MS} ms`);
  }
  for (const [name, { problems }] of Object.entries(pages)) {
    assert.deepEqual(problems, [], `${name}: console errors or failed requests when served by meteo-etl serve`);
  }
});
