/* meteo-etl dashboard: reads only ./data/*.json (docs/dashboard-data.md) and draws it with ECharts.
 * Classic script (no modules) so the page works from any static server without a bundler. */
(function () {
  'use strict';

  // ---- Settings from the URL -------------------------------------------------------------------
  const params = new URLSearchParams(location.search);
  const TV = params.get('mode') === 'tv';
  // Kiosk timings in seconds; overridable so a test does not wait 30 s.
  const ROTATE_S = positive(params.get('rotate'), 20);
  const POLL_S = positive(params.get('poll'), 30);
  // ?live=off: no EventSource even when served over http(s) (a test, or a proxy without SSE).
  const LIVE = params.get('live') !== 'off';

  function positive(text, fallback) {
    const n = Number(text);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  }

  // ---- Labels ----------------------------------------------------------------------------------
  const DICT = {
    fr: {
      title: 'Températures horaires',
      franceTitle: 'France — température moyenne par région',
      toulouseTitle: 'Toulouse Métropole — stations météo',
      region: 'Région', station: 'Station',
      generated: 'Données générées le {t}',
      temperature: 'Température', points: 'Points de mesure', delta3h: 'Δ3h',
      before3h: 'il y a 3 h', noData: 'pas de donnée', hour: 'Heure',
      last48h: '48 dernières heures', last7d: '7 derniers jours',
      tempSeries: 'Température', before3hSeries: 'Température 3 h avant',
      mean: 'Moyenne', min: 'Min', max: 'Max', rain: 'Pluie', humidity: 'Humidité',
      wind: 'Vent', gust: 'Rafales', pressure: 'Pression', observedAt: 'Observé le',
      commune: 'Commune', stations: 'Stations',
      sourcesOk: 'Toutes les sources sont à jour.',
      staleWarning: 'Attention : données périmées pour {names}.',
      lastSuccess: 'dernier succès {t}', never: 'jamais exécutée',
      lastFailure: 'dernier échec {t}', stale: 'périmée', fresh: 'à jour',
      loadError: 'Impossible de charger les données ({e}).',
      footer: 'Source : meteo-etl. Heures affichées à l’heure locale du navigateur.',
      legend: 'Température (°C)',
      airTitle: 'Qualité de l’air — stations de mesure',
      airIndex: 'Indice du {d} : {c} — {l} (dominant : {p})', airNoIndex: 'Pas d’indice récent',
      windSpeed: 'Vent (km/h)', exceedance: 'Dépassement', calm: 'Heures de calme (< {v} km/h) : {n}',
      roseTitle: 'Rose de pollution ({d} jours)', hours: 'heures',
      impactTitle: 'L’action a-t-elle marché ? — pollution corrigée de la météo',
      impactLead: 'Moyennes journalières observées et normalisées : la série normalisée retire ce que la météo explique (vent, température, humidité, pluie, pression) et garde la tendance et les ruptures.',
      pollutant: 'Polluant', observed: 'Observé', normalised: 'Normalisé (météo moyenne)',
      effect: 'effet {e} [{lo}, {hi}]', noEffect: 'effet non estimé', rawEffect: 'brut {e}',
      model: 'Modèle : R² {r2} et RMSE {rmse} µg/m³ sur les jours mis de côté ; {learner}, graine {seed}, appris du {from} au {to} ({hours} h).',
      impactCaveats: 'Une estimation, pas une preuve : un effet dont l’intervalle contient 0 n’est pas établi ; une mesure de quelques semaines est sous-estimée, jugez sur des mois ; une autre cause au même moment (travaux, trafic) n’est pas séparée. ',
      impactDoc: 'Méthode et limites',
      incrementTitle: 'Écart trafic − fond (µg/m³, moyennes journalières)',
      alertsTitle: 'Alertes en cours', alertSince: 'depuis le {t}', alertPeak: 'pic {v} {u} (seuil {s} {u})',
      alertNote: 'Indicatif, pas une vigilance officielle.',
      kind_strong_wind: 'Vent fort', kind_severe_cold: 'Grand froid', kind_heat_wave: 'Canicule',
      kind_heavy_rain: 'Fortes pluies', kind_pollution: 'Pollution',
      level_yellow: 'jaune', level_orange: 'orange', level_canicule: 'canicule',
      level_grand_froid: 'grand froid', level_froid_extreme: 'froid extrême',
      level_information: 'information', level_alert: 'alerte', levelWord: 'niveau {l}',
      forecast: 'Prévision', forecastMae: 'MAE {e} °C à h+{h}', forecastModel: 'modèle {m}',
      tomorrowMax: 'Maximum prévu demain : {v} (modèle {m}, MAE {e} °C)',
      stationsTitle: '{place} — stations météo', airPlaceTitle: 'Qualité de l’air — {place}',
      inHours: '{d} en 3 h', now: '{place} maintenant {v}', nowDelta: '{place} maintenant {v}, {d} en 3 h',
      meanOf: 'moyenne de {n} stations à {h}',
      regionsExtremes: 'Région la plus chaude : {w} ; la plus froide : {c}',
      stationsExtremes: 'Station la plus chaude : {w} ; la plus froide : {c}',
      airHighest: 'Indice le plus élevé : {s}, {c} — {l}', airNone: 'Aucun indice récent',
      alertsNone: 'aucune alerte en cours', alertsOne: '1 alerte en cours', alertsMany: '{n} alertes en cours',
      tableToggle: 'Tableau des valeurs', regionsCaption: 'Température par région, {h}',
      stationsCaption: 'Stations : dernière mesure', communesCaption: 'Température par commune, {h}',
      airCaption: 'Stations de qualité de l’air : indice du jour', indexClass: 'Classe', indexLabel: 'Indice',
      dominant: 'Dominant', liveConnected: 'En direct', liveConnecting: 'Connexion…',
      liveReconnecting: 'Reconnexion…', liveStatic: 'Vérifié toutes les {s} s',
      periodTitle: 'Période — analyse par station',
      periodLead: 'Chiffres des jours locaux choisis, calculés comme « meteo-etl query period » : moyenne des moyennes journalières, minimum et maximum des extrêmes du jour, cumul de pluie. Un jour sans donnée reste un trou.',
      periodStations: 'Stations (plusieurs avec Ctrl ou Maj)', periodFrom: 'Du', periodTo: 'Au (inclus)',
      periodCompare: 'Comparer à la période de même durée commençant le',
      periodCsv: 'CSV (chiffres)', periodDaysCsv: 'CSV (jours)',
      periodNoStation: 'Choisissez au moins une station.', periodNoDates: 'Choisissez les dates de début et de fin.',
      periodBadRange: 'La fin de la période doit suivre son début.',
      periodBadCompare: 'La période de comparaison doit commencer avant la période choisie.',
      periodTempMean: 'Température moyenne', periodTempMin: 'Température min', periodTempMax: 'Température max',
      periodPressure: 'Pression moyenne', periodWindMean: 'Vent moyen', periodGustMax: 'Rafale max',
      periodRain: 'Cumul de pluie', periodHeavyRain: 'Jours de forte pluie', periodDays: 'Jours observés',
      periodDaysOf: '{n} sur {d}', periodVs: 'comparaison {v}, écart {d}', periodDay: 'Jour',
      periodTempChart: 'Température journalière (min–max, moyenne)', periodPressureChart: 'Pression moyenne journalière',
      periodWindChart: 'Vent moyen et rafale max journaliers', periodRainChart: 'Pluie journalière',
      periodCaption: 'Chiffres de la période par station', periodDaysCaption: 'Valeurs journalières',
    },
    en: {
      title: 'Hourly temperatures',
      franceTitle: 'France — mean temperature per region',
      toulouseTitle: 'Toulouse Métropole — weather stations',
      region: 'Region', station: 'Station',
      generated: 'Data generated on {t}',
      temperature: 'Temperature', points: 'Measurement points', delta3h: 'Δ3h',
      before3h: '3 h before', noData: 'no data', hour: 'Hour',
      last48h: 'Last 48 hours', last7d: 'Last 7 days',
      tempSeries: 'Temperature', before3hSeries: 'Temperature 3 h before',
      mean: 'Mean', min: 'Min', max: 'Max', rain: 'Rain', humidity: 'Humidity',
      wind: 'Wind', gust: 'Gusts', pressure: 'Pressure', observedAt: 'Observed on',
      commune: 'Commune', stations: 'Stations',
      sourcesOk: 'All sources are up to date.',
      staleWarning: 'Warning: stale data for {names}.',
      lastSuccess: 'last success {t}', never: 'never ran',
      lastFailure: 'last failure {t}', stale: 'stale', fresh: 'fresh',
      loadError: 'Could not load the data ({e}).',
      footer: 'Source: meteo-etl. Times shown in the browser’s local time.',
      legend: 'Temperature (°C)',
      airTitle: 'Air quality — measuring stations',
      airIndex: 'Index of {d}: {c} — {l} (dominant: {p})', airNoIndex: 'No recent index',
      windSpeed: 'Wind (km/h)', exceedance: 'Exceedance', calm: 'Calm hours (< {v} km/h): {n}',
      roseTitle: 'Pollution rose ({d} days)', hours: 'hours',
      impactTitle: 'Did it work? — weather-normalised pollution',
      impactLead: 'Observed and normalised daily means: the normalised series removes what the weather explains (wind, temperature, humidity, rain, pressure) and keeps trends and steps.',
      pollutant: 'Pollutant', observed: 'Observed', normalised: 'Normalised (average weather)',
      effect: 'effect {e} [{lo}, {hi}]', noEffect: 'effect not estimated', rawEffect: 'raw {e}',
      model: 'Model: R² {r2} and RMSE {rmse} µg/m³ on held-out days; {learner}, seed {seed}, trained from {from} to {to} ({hours} h).',
      impactCaveats: 'An estimate, not a proof: an effect whose interval contains 0 is not established; a measure lasting a few weeks is underestimated, judge over months; another cause at the same time (roadworks, traffic) is not separated. ',
      impactDoc: 'Method and limits',
      incrementTitle: 'Traffic − background increment (µg/m³, daily means)',
      alertsTitle: 'Active alerts', alertSince: 'since {t}', alertPeak: 'peak {v} {u} (threshold {s} {u})',
      alertNote: 'Indicative, not official vigilance.',
      kind_strong_wind: 'Strong wind', kind_severe_cold: 'Severe cold', kind_heat_wave: 'Heat wave',
      kind_heavy_rain: 'Heavy rain', kind_pollution: 'Pollution',
      level_yellow: 'yellow', level_orange: 'orange', level_canicule: 'heat wave',
      level_grand_froid: 'severe cold', level_froid_extreme: 'extreme cold',
      level_information: 'information', level_alert: 'alert', levelWord: '{l} level',
      forecast: 'Forecast', forecastMae: 'MAE {e} °C at h+{h}', forecastModel: 'model {m}',
      tomorrowMax: 'Tomorrow’s forecast maximum: {v} (model {m}, MAE {e} °C)',
      stationsTitle: '{place} — weather stations', airPlaceTitle: 'Air quality — {place}',
      inHours: '{d} in 3 h', now: '{place} now {v}', nowDelta: '{place} now {v}, {d} in 3 h',
      meanOf: 'mean of {n} stations at {h}',
      regionsExtremes: 'Warmest region: {w}; coldest: {c}',
      stationsExtremes: 'Warmest station: {w}; coldest: {c}',
      airHighest: 'Highest index: {s}, {c} — {l}', airNone: 'No recent index',
      alertsNone: 'no active alert', alertsOne: '1 active alert', alertsMany: '{n} active alerts',
      tableToggle: 'Table of the values', regionsCaption: 'Temperature per region, {h}',
      stationsCaption: 'Stations: latest measurement', communesCaption: 'Temperature per commune, {h}',
      airCaption: 'Air-quality stations: the day’s index', indexClass: 'Class', indexLabel: 'Index',
      dominant: 'Dominant', liveConnected: 'Live', liveConnecting: 'Connecting…',
      liveReconnecting: 'Reconnecting…', liveStatic: 'Checked every {s} s',
      periodTitle: 'Period — per station',
      periodLead: 'Figures of the chosen local days, computed as “meteo-etl query period” does: mean of the daily means, extremes of the daily extremes, rain total. A day without data stays a gap.',
      periodStations: 'Stations (several with Ctrl or Shift)', periodFrom: 'From', periodTo: 'To (included)',
      periodCompare: 'Compare with the period of the same length starting on',
      periodCsv: 'CSV (figures)', periodDaysCsv: 'CSV (days)',
      periodNoStation: 'Choose at least one station.', periodNoDates: 'Choose the first and last days.',
      periodBadRange: 'The period must end after it starts.',
      periodBadCompare: 'The comparison period must start before the chosen one.',
      periodTempMean: 'Mean temperature', periodTempMin: 'Min temperature', periodTempMax: 'Max temperature',
      periodPressure: 'Mean pressure', periodWindMean: 'Mean wind', periodGustMax: 'Max gust',
      periodRain: 'Rain total', periodHeavyRain: 'Heavy-rain days', periodDays: 'Days observed',
      periodDaysOf: '{n} of {d}', periodVs: 'compared {v}, difference {d}', periodDay: 'Day',
      periodTempChart: 'Daily temperature (min–max, mean)', periodPressureChart: 'Daily mean pressure',
      periodWindChart: 'Daily mean wind and max gust', periodRainChart: 'Daily rain',
      periodCaption: 'The period’s figures per station', periodDaysCaption: 'Daily values',
    },
  };
  let lang = 'fr';
  function t(key, vars) {
    const text = (DICT[lang] && DICT[lang][key]) || DICT.fr[key] || key;
    return text.replace(/\{(\w+)\}/g, (_, k) => (vars && k in vars ? vars[k] : ''));
  }
  const locale = () => (lang === 'en' ? 'en-GB' : 'fr-FR');

  // ---- Formatting ------------------------------------------------------------------------------
  function num(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return '—';
    return new Intl.NumberFormat(locale(), {
      minimumFractionDigits: digits, maximumFractionDigits: digits,
    }).format(value);
  }
  const degrees = (v) => (v === null || v === undefined ? t('noData') : num(v, 1) + ' °C');
  function signed(v) {
    if (v === null || v === undefined) return '—';
    return (v > 0 ? '+' : v < 0 ? '−' : '±') + num(Math.abs(v), 1) + ' °C';
  }
  // "+0,9 °C en 3 h"; empty when there is no value 3 hours before.
  const inThreeHours = (d) => (d === null || d === undefined ? '' : t('inHours', { d: signed(d) }));
  // "9,1 °C (+0,9 °C en 3 h)": a value with its comparison, readable without hovering.
  function withDelta(v, d) {
    const delta = inThreeHours(d);
    return degrees(v) + (delta && v !== null && v !== undefined ? ' (' + delta + ')' : '');
  }
  function when(iso) {
    if (!iso) return '—';
    return new Intl.DateTimeFormat(locale(), {
      day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit',
    }).format(new Date(iso));
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({
      '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
    }[c]));
  }

  // ---- Colour scale ----------------------------------------------------------------------------
  // Paul Tol's "sunset" diverging scheme (designed to stay distinct for colour-blind readers and in
  // greyscale). Fixed 5 °C classes rather than a data-driven range so the same colour always means
  // the same temperature, hour after hour and between the France and Toulouse maps.
  const SUNSET = ['#364B9A', '#4A7BB7', '#6EA6CD', '#98CAE1', '#C2E4EF', '#EAECCC',
    '#FEDA8B', '#FDB366', '#F67E4B', '#DD3D2D', '#A50026'];
  const NO_DATA_COLOR = '#d0d0d0';
  function temperaturePieces() {
    // 11 classes: < -10, [-10,-5) ... [30,35), >= 35; the neutral class is 10-15 °C.
    return SUNSET.map((color, i) => {
      const lo = -15 + 5 * i;
      if (i === 0) return { lt: lo + 5, color, label: '< ' + num(lo + 5, 0) + ' °C' };
      if (i === SUNSET.length - 1) return { gte: lo, color, label: '≥ ' + num(lo, 0) + ' °C' };
      return { gte: lo, lt: lo + 5, color, label: num(lo, 0) + ' – ' + num(lo + 5, 0) + ' °C' };
    }).reverse(); // warmest on top of the legend
  }

  // ---- State -----------------------------------------------------------------------------------
  const state = {
    meta: null, france: null, franceSet: null, communes: null, stations: null,
    region: null, station: null, generatedAt: null,
    air: null, airStation: null, airFile: null,
    increment: null, impactStation: null, impactPollutant: null, impactFile: null,
    alerts: null, daily: null,
    period: { stations: [], from: null, to: null, compare: null }, periodShown: null,
  };
  const charts = {};
  const $ = (id) => document.querySelector('[data-testid="' + id + '"]');
  const narrow = () => window.innerWidth < 700;
  const baseFont = () => (TV ? Math.max(20, Math.round(window.innerWidth / 70)) : 12);

  function chart(id) {
    if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: 'canvas' });
    return charts[id];
  }

  // ---- Names -----------------------------------------------------------------------------------
  // A source as the page names it: its configured display_name (meta.json), else its name.
  function sourceName(name) {
    const source = ((state.meta && state.meta.sources) || []).find((s) => s.name === name);
    return (source && source.display_name) || name;
  }

  // ---- Data loading ----------------------------------------------------------------------------
  async function getJson(name) {
    // no-store: the generator rewrites these files in place every hour.
    const response = await fetch('data/' + name, { cache: 'no-store' });
    if (!response.ok) throw new Error(name + ': HTTP ' + response.status);
    return response.json();
  }

  async function loadAll() {
    const meta = await getJson('meta.json');
    const sets = meta.region_sets || [];
    // The France view is the non-station set (fr-regions by name when there are several).
    const others = sets.filter((s) => s.name !== meta.station_region_set);
    const franceSet = others.find((s) => s.name === 'fr-regions') || others[0] || null;
    const communeSet = sets.find((s) => s.name === meta.station_region_set) || null;
    // The air-quality panel draws its stations on the commune map too, so it needs the shapes.
    const needShapes = communeSet && (meta.stations || meta.air_quality);
    // The impact panel belongs to the air-quality source shown: no air quality, no impact.
    const impact = (meta.air_quality && meta.air_quality_impact) || null;
    const [franceShapes, france, communeShapes, communes, stations, air, increment, alerts, daily] = await Promise.all([
      franceSet ? getJson(franceSet.shapes) : null,
      franceSet ? getJson(franceSet.hourly) : null,
      needShapes ? getJson(communeSet.shapes) : null,
      meta.stations && communeSet ? getJson(communeSet.hourly) : null,
      meta.stations ? getJson(meta.stations) : null,
      meta.air_quality ? getJson(meta.air_quality.file) : null,
      impact && impact.increment ? getJson(impact.increment) : null,
      meta.alerts ? getJson(meta.alerts) : null, // absent before the database had alerts
      Promise.all((meta.daily || []).map((d) => getJson(d.file))), // absent before schema 9
    ]);
    if (franceSet) echarts.registerMap(franceSet.name, franceShapes);
    if (communeSet && communeShapes) echarts.registerMap(communeSet.name, communeShapes);
    Object.assign(state, {
      meta, france, franceSet, communes, communeSet, stations, air, airFile: null,
      increment, impactFile: null, generatedAt: meta.generated_at, alerts, daily,
    });
  }

  // ---- Static labels and freshness banner ------------------------------------------------------
  function applyLanguage() {
    lang = params.get('lang') || (state.meta && state.meta.language === 'en' ? 'en' : 'fr');
    document.documentElement.lang = lang;
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    $('generated').textContent = t('generated', { t: when(state.meta.generated_at) });
    // Panels named after their source's display name when the data says which source it is.
    if (state.stations && state.stations.source) {
      $('toulouse-title-text').textContent = t('stationsTitle', { place: sourceName(state.stations.source) });
    }
    if (state.meta.air_quality && state.meta.air_quality.source) {
      $('air-title-text').textContent = t('airPlaceTitle', { place: sourceName(state.meta.air_quality.source) });
    }
    renderLive();
  }

  function renderBanner() {
    const banner = $('banner');
    const sources = state.meta.sources || [];
    // A source that never ran counts as stale even if the generator forgot to say so.
    const stale = sources.filter((s) => s.stale || !s.last_success);
    banner.classList.toggle('stale', stale.length > 0);
    if (stale.length) banner.setAttribute('role', 'alert'); else banner.removeAttribute('role');
    const head = stale.length
      ? '<strong>⚠ ' + escapeHtml(t('staleWarning', { names: stale.map((s) => sourceName(s.name)).join(', ') })) + '</strong>'
      : '<strong>✓ ' + escapeHtml(t('sourcesOk')) + '</strong>';
    const items = sources.map((s) => {
      const bad = s.stale || !s.last_success;
      const parts = [s.last_success ? t('lastSuccess', { t: when(s.last_success) }) : t('never')];
      if (s.last_failure) parts.push(t('lastFailure', { t: when(s.last_failure) }));
      return '<li data-source="' + escapeHtml(s.name) + '" class="' + (bad ? 'is-stale' : 'is-fresh') + '">'
        + '<span class="dot" aria-hidden="true"></span><b>' + escapeHtml(sourceName(s.name)) + '</b> — '
        + escapeHtml(parts.join(' · ')) + ' (' + escapeHtml(bad ? t('stale') : t('fresh')) + ')'
        + (s.last_failure_message && bad ? ' <span class="why">' + escapeHtml(s.last_failure_message) + '</span>' : '')
        + '</li>';
    });
    banner.innerHTML = head + '<ul>' + items.join('') + '</ul>';
  }

  function showError(error) {
    const banner = $('banner');
    banner.classList.add('stale', 'error');
    banner.setAttribute('role', 'alert');
    banner.textContent = t('loadError', { e: error.message });
  }

  // ---- Alerts ----------------------------------------------------------------------------------
  const alertList = () => (state.alerts ? state.alerts.alerts : []);
  // A word for a code the page knows; the code itself otherwise (a newer rule's level).
  function word(prefix, code) {
    const key = prefix + code;
    return DICT[lang][key] || DICT.fr[key] || code;
  }
  function alertHeadline(a) {
    return word('kind_', a.kind) + ' — ' + t('levelWord', { l: word('level_', a.level) });
  }
  function alertPeakText(a) {
    return t('alertPeak', { v: num(a.peak, 1), s: num(a.threshold, 1), u: a.unit });
  }
  // Colour by rank, not by name: a level's rank says how serious it is whatever the rule calls it.
  const ALERT_COLORS = ['#F2C500', '#F67E4B', '#DD3D2D'];
  const alertColor = (a) => ALERT_COLORS[Math.min(Math.max(a.level_rank || 1, 1), 3) - 1];

  function renderAlerts() {
    const box = $('alerts');
    const active = alertList().filter((a) => a.active);
    box.hidden = active.length === 0;
    if (!active.length) { box.removeAttribute('role'); box.innerHTML = ''; return; }
    box.setAttribute('role', 'alert');
    const items = active.map((a) => '<li data-kind="' + escapeHtml(a.kind) + '" data-level="'
      + escapeHtml(a.level) + '"><span class="swatch" style="background:' + alertColor(a)
      + '" aria-hidden="true"></span><b>' + escapeHtml(alertHeadline(a)) + '</b> — '
      + escapeHtml(a.place) + ', ' + escapeHtml(t('alertSince', { t: when(a.start) })) + ', '
      + escapeHtml(alertPeakText(a)) + '</li>');
    box.innerHTML = '<strong>⚠ ' + escapeHtml(t('alertsTitle')) + '</strong><ul>' + items.join('')
      + '</ul><p class="note">' + escapeHtml(t('alertNote')) + '</p>';
  }

  // "2 alertes en cours", or nothing when the site has no alerts file (a database before schema 8).
  function alertsCountText() {
    if (!state.alerts) return '';
    const n = alertList().filter((a) => a.active).length;
    return n === 0 ? t('alertsNone') : n === 1 ? t('alertsOne') : t('alertsMany', { n });
  }

  // A panel's headline: its parts joined with " · ", the alerts count last. `value` and `delta`
  // (numbers) go in data attributes so a test can read what is shown without parsing the words.
  function renderHeadline(id, parts, value, delta) {
    const el = $(id);
    el.textContent = parts.concat(alertsCountText()).filter(Boolean).join(' · ');
    el.dataset.value = value === null || value === undefined ? '' : String(value);
    el.dataset.delta = delta === null || delta === undefined ? '' : String(delta);
  }

  // A map's text alternative: a table with a caption, column headers and a row header per line.
  // rows: [{ key, cells: [header text, ...cell texts], values: [...numbers for data-value] }].
  function renderTable(id, caption, headers, rows) {
    const head = '<thead><tr>' + headers.map((h) => '<th scope="col">' + escapeHtml(h) + '</th>').join('')
      + '</tr></thead>';
    const body = rows.map((r) => '<tr data-key="' + escapeHtml(r.key) + '"><th scope="row">'
      + escapeHtml(r.cells[0]) + '</th>' + r.cells.slice(1).map((c, i) => '<td'
        + (r.values && r.values[i] !== undefined && r.values[i] !== null ? ' data-value="' + r.values[i] + '"' : '')
        + '>' + escapeHtml(c) + '</td>').join('') + '</tr>').join('');
    $(id).innerHTML = '<caption>' + escapeHtml(caption) + '</caption>' + head + '<tbody>' + body + '</tbody>';
  }

  // The station's alerts as shaded spans of its chart; an open alert runs to the chart's end.
  function stationAlertAreas(s, lastHour) {
    const mine = alertList().filter((a) => a.scope_type === 'station' && a.scope_id === stationKey(s));
    return mine.map((a) => [
      { name: alertHeadline(a), xAxis: a.start, itemStyle: { color: alertColor(a), opacity: 0.25 } },
      { xAxis: a.end || lastHour },
    ]);
  }

  // ---- Shared chart pieces ---------------------------------------------------------------------
  function textStyle() { return { fontSize: baseFont() }; }

  function visualMap(seriesIndex) {
    return {
      type: 'piecewise', seriesIndex, pieces: temperaturePieces(),
      text: [t('legend')], showLabel: true, left: 0, bottom: 0,
      itemWidth: TV ? 28 : 14, itemHeight: TV ? 20 : 10, itemGap: TV ? 6 : 3,
      textStyle: textStyle(),
      // No click-to-filter in the kiosk (no interaction there).
      selectedMode: TV ? false : 'multiple',
      // ECharts adds regions without data as NaN items; NaN (and deselected classes) go grey.
      outOfRange: { color: NO_DATA_COLOR },
    };
  }

  // Where the map sits in its box: right of the legend on wide screens, above it on phones.
  function mapLayout() {
    return narrow() ? { layoutCenter: ['55%', '40%'], layoutSize: '78%' }
      : { layoutCenter: ['58%', '46%'], layoutSize: '92%' };
  }

  function tooltip(formatter) {
    return {
      show: !TV, trigger: 'item', formatter, confine: true, textStyle: textStyle(),
      // Tap to show on touch screens, hover on desktop.
      triggerOn: 'mousemove|click',
    };
  }

  function timeAxis() {
    return { type: 'time', axisLabel: { fontSize: baseFont(), hideOverlap: true }, name: '' };
  }
  function valueAxis(name, extra) {
    return Object.assign({
      type: 'value', name, nameTextStyle: textStyle(), axisLabel: { fontSize: baseFont() }, scale: true,
    }, extra);
  }

  // ---- France ----------------------------------------------------------------------------------
  const regionsByCode = () => new Map((state.france ? state.france.regions : []).map((r) => [r.code, r]));

  function delta3h(latest) {
    if (!latest || latest.temperature === null || latest.temperature_3h_before === null
      || latest.temperature_3h_before === undefined) return null;
    return latest.temperature - latest.temperature_3h_before;
  }

  function regionTooltip(region) {
    if (!region) return '';
    const l = region.latest;
    const lines = ['<b>' + escapeHtml(region.name) + '</b>'];
    if (!l || l.temperature === null) {
      lines.push(escapeHtml(t('noData')));
    } else {
      lines.push(t('temperature') + ' : ' + degrees(l.temperature));
      lines.push(t('points') + ' : ' + num(l.numberOfPoints, 0));
      lines.push(t('delta3h') + ' : ' + signed(delta3h(l)) + ' (' + t('before3h') + ' : '
        + degrees(l.temperature_3h_before) + ')');
      lines.push(t('hour') + ' : ' + when(l.hour));
    }
    return lines.join('<br>');
  }

  function mapData(hourly) {
    // Regions with no latest value get no data item: they keep the grey default area colour.
    return (hourly ? hourly.regions : [])
      .filter((r) => r.latest && r.latest.temperature !== null)
      .map((r) => ({ name: r.code, value: r.latest.temperature }));
  }

  function renderFranceMap() {
    if (!state.franceSet) return;
    const byCode = regionsByCode();
    chart('france-map').setOption({
      textStyle: textStyle(),
      tooltip: tooltip((p) => regionTooltip(byCode.get(p.name))),
      visualMap: visualMap(0),
      series: [{
        type: 'map', map: state.franceSet.name, nameProperty: 'code', roam: false,
        ...mapLayout(),
        selectedMode: false,
        itemStyle: { areaColor: NO_DATA_COLOR, borderColor: '#fff', borderWidth: 1 },
        emphasis: { itemStyle: { areaColor: null, borderColor: '#111', borderWidth: 2 }, label: { show: false } },
        label: {
          // The kiosk has no tooltip, so it prints the values on the map instead.
          show: TV, fontSize: baseFont() * 0.8, color: '#111',
          formatter: (p) => {
            if (!Number.isFinite(p.value)) return '';
            const d = delta3h((byCode.get(p.name) || {}).latest);
            return num(p.value, 1) + ' °C' + (d === null ? '' : '\n' + signed(d));
          },
        },
        data: mapData(state.france),
      }],
    }, true);
  }

  // The regions with a value now, warmest first.
  function regionsByTemperature() {
    return (state.france ? state.france.regions : [])
      .filter((r) => r.latest && r.latest.temperature !== null)
      .sort((a, b) => b.latest.temperature - a.latest.temperature);
  }

  // "Région la plus chaude : Corse 19,0 °C ; la plus froide : … · 1 alerte en cours".
  function renderFranceHeadline() {
    const sorted = regionsByTemperature();
    const named = (r) => r.name + ' ' + withDelta(r.latest.temperature, delta3h(r.latest));
    const parts = sorted.length ? [t('regionsExtremes', { w: named(sorted[0]), c: named(sorted[sorted.length - 1]) })] : [];
    renderHeadline('france-headline', parts, sorted.length ? sorted[0].latest.temperature : null,
      sorted.length ? delta3h(sorted[0].latest) : null);
  }

  // The same values as the map (each region's latest hour), in name order.
  function renderFranceTable() {
    const regions = (state.france ? state.france.regions.slice() : [])
      .sort((a, b) => a.name.localeCompare(b.name, locale()));
    renderTable('france-table', t('regionsCaption', { h: when(state.france && state.france.latest_hour) }),
      [t('region'), t('temperature'), t('delta3h'), t('points')],
      regions.map((r) => {
        const l = r.latest && r.latest.temperature !== null ? r.latest : null;
        return { key: r.code, cells: [r.name, l ? degrees(l.temperature) : t('noData'), l ? signed(delta3h(l)) : '—',
          l ? num(l.numberOfPoints, 0) : '—'], values: [l ? l.temperature : null, l ? delta3h(l) : null] };
      }));
  }

  function renderRegionSelect() {
    const select = $('region-select');
    const regions = state.france ? state.france.regions.slice() : [];
    regions.sort((a, b) => a.name.localeCompare(b.name, locale()));
    select.innerHTML = regions.map((r) => '<option value="' + escapeHtml(r.code) + '">'
      + escapeHtml(r.name) + '</option>').join('');
    if (!state.region || !regions.some((r) => r.code === state.region)) {
      const withData = regions.find((r) => r.series.length);
      state.region = withData ? withData.code : regions.length ? regions[0].code : null;
    }
    select.value = state.region || '';
  }

  function seriesSince(points, hours) {
    if (!state.france || !state.france.latest_hour) return points;
    const from = Date.parse(state.france.latest_hour) - hours * 3600e3;
    return points.filter((p) => Date.parse(p.hour) > from);
  }

  function regionSeriesOption(region, hours, title) {
    const points = seriesSince(region ? region.series : [], hours);
    return {
      title: { text: title, textStyle: { fontSize: baseFont() * 1.1 }, left: 0, top: 0 },
      textStyle: textStyle(),
      tooltip: { show: !TV, trigger: 'axis', confine: true, textStyle: textStyle(),
        valueFormatter: (v) => degrees(v) },
      // On phones the legend goes under the title rather than over it.
      legend: { top: narrow() ? 22 : 0, right: 0, textStyle: textStyle() },
      grid: { left: 8, right: 16, top: TV ? 70 : narrow() ? 70 : 48, bottom: 8, containLabel: true },
      xAxis: timeAxis(),
      yAxis: valueAxis('°C'),
      series: [
        { name: t('tempSeries'), type: 'line', showSymbol: hours <= 48, symbolSize: 4, connectNulls: false,
          color: '#364B9A', lineStyle: { width: TV ? 4 : 2 },
          data: points.map((p) => [p.hour, p.temperature]) },
        { name: t('before3hSeries'), type: 'line', showSymbol: false, connectNulls: false,
          color: '#DD3D2D', lineStyle: { type: 'dashed', width: TV ? 3 : 1.5 },
          data: points.map((p) => [p.hour, p.temperature_3h_before]) },
      ],
    };
  }

  function renderRegionSeries() {
    const region = regionsByCode().get(state.region) || null;
    // The latest value and its change in 3 hours beside the name: no hovering needed.
    const l = region && region.latest && region.latest.temperature !== null ? region.latest : null;
    $('region-series-title').textContent = region ? region.name + (l ? ' — ' + withDelta(l.temperature, delta3h(l)) : '') : '';
    $('region-series').dataset.region = state.region || '';
    chart('region-series-48h').setOption(regionSeriesOption(region, 48, t('last48h')), true);
    chart('region-series-7d').setOption(regionSeriesOption(region, 24 * 7, t('last7d')), true);
  }

  function selectRegion(code) {
    state.region = code;
    $('region-select').value = code;
    renderRegionSeries();
  }

  // ---- Toulouse --------------------------------------------------------------------------------
  const stationList = () => (state.stations ? state.stations.stations : []);
  const stationKey = (s) => s.dataset_id;
  // "Meteopole (Toulouse)": the name stations.json gives (read from the dataset id, see
  // docs/dashboard-data.md) and its commune; a file without names gives the commune alone.
  function stationName(s) {
    const name = s.name || s.commune || s.dataset_id;
    return s.commune && name !== s.commune ? name + ' (' + s.commune + ')' : name;
  }

  // The station's hourly mean at its newest hour and the change since 3 hours before (null when
  // either hour is missing): the comparison shown beside its latest value.
  function stationDelta(s) {
    const hourly = s ? s.hourly : [];
    const last = hourly.length ? hourly[hourly.length - 1] : null;
    if (!last || last.temperature_mean === null) return null;
    const before = hourly.find((h) => Date.parse(h.hour) === Date.parse(last.hour) - 3 * 3600e3);
    return before && before.temperature_mean !== null ? last.temperature_mean - before.temperature_mean : null;
  }

  // The network "now": the mean of the stations' hourly means at the network's newest hour, and
  // its change in 3 hours over the stations that have both hours (so the same stations are
  // compared). A mean rather than a reference station: any station may be down.
  function networkNow() {
    const list = stationList().filter((s) => s.hourly.length);
    if (!list.length) return null;
    const newest = Math.max(...list.map((s) => Date.parse(s.hourly[s.hourly.length - 1].hour)));
    const at = (s, ms) => {
      const h = s.hourly.find((x) => Date.parse(x.hour) === ms);
      return h && h.temperature_mean !== null ? h.temperature_mean : null;
    };
    const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
    const now = list.map((s) => at(s, newest)).filter((v) => v !== null);
    if (!now.length) return null;
    const pairs = list.map((s) => [at(s, newest), at(s, newest - 3 * 3600e3)])
      .filter(([a, b]) => a !== null && b !== null);
    const delta = pairs.length ? mean(pairs.map((p) => p[0])) - mean(pairs.map((p) => p[1])) : null;
    return { value: mean(now), delta, stations: now.length, hour: new Date(newest).toISOString() };
  }

  // "Toulouse Métropole maintenant 6,8 °C, +1,9 °C en 3 h (moyenne de 2 stations à …) · Station
  // la plus chaude : … · aucune alerte en cours".
  function renderToulouseHeadline() {
    const place = sourceName(state.stations.source);
    const now = networkNow();
    const parts = [];
    if (now) {
      const v = degrees(now.value);
      parts.push((now.delta === null ? t('now', { place, v }) : t('nowDelta', { place, v, d: signed(now.delta) }))
        + ' (' + t('meanOf', { n: now.stations, h: when(now.hour) }) + ')');
    }
    const measured = stationList().filter((s) => s.latest && s.latest.temperature_c !== null)
      .sort((a, b) => b.latest.temperature_c - a.latest.temperature_c);
    const named = (s) => stationName(s) + ' ' + withDelta(s.latest.temperature_c, stationDelta(s));
    if (measured.length > 1) {
      parts.push(t('stationsExtremes', { w: named(measured[0]), c: named(measured[measured.length - 1]) }));
    }
    renderHeadline('toulouse-headline', parts, now ? Math.round(now.value * 10) / 10 : null,
      now && now.delta !== null ? Math.round(now.delta * 10) / 10 : null);
  }

  // The same values as the map: the stations' latest measurement, then the communes' latest hour.
  function renderToulouseTables() {
    const stations = stationList().slice().sort((a, b) => stationName(a).localeCompare(stationName(b), locale()));
    renderTable('stations-table', t('stationsCaption'),
      [t('station'), t('temperature'), t('delta3h'), t('observedAt')],
      stations.map((s) => {
        const l = s.latest;
        return { key: stationKey(s), cells: [stationName(s), l ? degrees(l.temperature_c) : t('noData'),
          signed(stationDelta(s)), l ? when(l.observed_at) : '—'],
        values: [l ? l.temperature_c : null, stationDelta(s)] };
      }));
    const communes = (state.communes ? state.communes.regions : [])
      .filter((r) => r.latest && r.latest.temperature !== null)
      .sort((a, b) => a.name.localeCompare(b.name, locale()));
    renderTable('communes-table', t('communesCaption', { h: when(state.communes && state.communes.latest_hour) }),
      [t('commune'), t('temperature'), t('delta3h')],
      communes.map((r) => ({ key: r.code, cells: [r.name, degrees(r.latest.temperature), signed(delta3h(r.latest))],
        values: [r.latest.temperature, delta3h(r.latest)] })));
  }

  function stationTooltip(s) {
    const l = s.latest;
    const lines = ['<b>' + escapeHtml(stationName(s)) + '</b>'];
    if (!l) return lines.concat(escapeHtml(t('noData'))).join('<br>');
    lines.push(t('temperature') + ' : ' + withDelta(l.temperature_c, stationDelta(s)));
    lines.push(t('humidity') + ' : ' + num(l.humidity_pct, 0) + ' %');
    lines.push(t('wind') + ' : ' + num(l.wind_speed_kmh, 0) + ' km/h (' + t('gust') + ' '
      + num(l.gust_kmh, 0) + ' km/h)');
    lines.push(t('rain') + ' : ' + num(l.rain_mm, 1) + ' mm');
    lines.push(t('observedAt') + ' : ' + when(l.observed_at));
    return lines.join('<br>');
  }

  function communeTooltip(region) {
    if (!region) return '';
    const l = region.latest;
    const lines = ['<b>' + escapeHtml(region.name) + '</b>'];
    if (!l || l.temperature === null) return lines.concat(escapeHtml(t('noData'))).join('<br>');
    lines.push(t('temperature') + ' : ' + degrees(l.temperature));
    lines.push(t('delta3h') + ' : ' + signed(delta3h(l)));
    lines.push(t('hour') + ' : ' + when(l.hour));
    return lines.join('<br>');
  }

  // Frame the stations with a margin: the communes file covers a whole département, the network
  // one city, and the heat island should fill the panel.
  function stationFrame(stations) {
    if (!stations.length) return {};
    const lons = stations.map((s) => s.longitude);
    const lats = stations.map((s) => s.latitude);
    const margin = 0.04;  // degrees, about 4 km
    return { boundingCoords: [[Math.min(...lons) - margin, Math.max(...lats) + margin],
      [Math.max(...lons) + margin, Math.min(...lats) - margin]] };
  }

  function renderToulouseMap() {
    const byCode = new Map((state.communes ? state.communes.regions : []).map((r) => [r.code, r]));
    const stations = stationList().filter((s) => s.latitude !== null && s.longitude !== null);
    chart('toulouse-map').setOption({
      textStyle: textStyle(),
      tooltip: tooltip((p) => (p.seriesType === 'scatter'
        ? stationTooltip(stations[p.dataIndex]) : communeTooltip(byCode.get(p.name)))),
      visualMap: visualMap(0),
      geo: {
        map: state.communeSet.name, nameProperty: 'code', roam: !TV && !narrow(),
        ...mapLayout(), ...stationFrame(stations), selectedMode: false,
        itemStyle: { areaColor: NO_DATA_COLOR, borderColor: '#fff', borderWidth: 0.6 },
        emphasis: { itemStyle: { areaColor: null, borderColor: '#111', borderWidth: 1.5 }, label: { show: false } },
      },
      series: [
        // Without its own colour the series' palette blue leaks into communes without data.
        { type: 'map', geoIndex: 0, data: mapData(state.communes),
          itemStyle: { color: NO_DATA_COLOR, areaColor: NO_DATA_COLOR } },
        {
          type: 'scatter', coordinateSystem: 'geo', name: t('stations'),
          symbol: 'circle', symbolSize: TV ? 22 : 12,
          itemStyle: { color: '#111', borderColor: '#fff', borderWidth: 2 },
          label: {
            show: TV, position: 'right', fontSize: baseFont() * 0.8, color: '#111',
            backgroundColor: 'rgba(255,255,255,0.8)', padding: 2,
            formatter: (p) => {
              const s = stations[p.dataIndex];
              const d = stationDelta(s);
              return degrees(s.latest && s.latest.temperature_c) + (d === null ? '' : ' ' + signed(d));
            },
          },
          data: stations.map((s) => ({ name: stationKey(s), value: [s.longitude, s.latitude] })),
        },
      ],
    }, true);
  }

  function renderStationSelect() {
    const select = $('station-select');
    const list = stationList();
    select.innerHTML = list.map((s) => '<option value="' + escapeHtml(stationKey(s)) + '">'
      + escapeHtml(stationName(s)) + '</option>').join('');
    if (!state.station || !list.some((s) => stationKey(s) === state.station)) {
      const withData = list.find((s) => s.hourly.length);
      state.station = withData ? stationKey(withData) : list.length ? stationKey(list[0]) : null;
    }
    select.value = state.station || '';
  }

  function renderStationLatest(s) {
    const l = s && s.latest;
    const rows = !l ? [[t('noData'), '']] : [
      [t('temperature'), degrees(l.temperature_c)], [t('delta3h'), signed(stationDelta(s))],
      [t('humidity'), num(l.humidity_pct, 0) + ' %'],
      [t('wind'), num(l.wind_speed_kmh, 0) + ' km/h'], [t('gust'), num(l.gust_kmh, 0) + ' km/h'],
      [t('rain'), num(l.rain_mm, 1) + ' mm'], [t('pressure'), num(l.pressure_hpa, 1) + ' hPa'],
      [t('observedAt'), when(l.observed_at)],
    ];
    $('station-latest').innerHTML = rows.map(([k, v]) => '<div><dt>' + escapeHtml(k) + '</dt><dd>'
      + escapeHtml(v) + '</dd></div>').join('');
    // The shown temperature as a number, for tests and the integrator's latency check.
    $('station-latest').dataset.temperature = l && l.temperature_c !== null ? String(l.temperature_c) : '';
  }

  // The forecast continues the mean from the last observed hour, so the dashed line joins it.
  function forecastSeries(s, hourly) {
    const points = s && s.forecast ? s.forecast : [];
    if (!points.length) return [];
    const last = [...hourly].reverse().find((h) => h.temperature_mean !== null);
    const data = (last ? [{ value: [last.hour, last.temperature_mean], observed: true }] : [])
      .concat(points.map((p) => ({ value: [p.target_time, p.value], point: p })));
    return [{ id: 'forecast', name: t('forecast'), type: 'line', symbol: 'none', color: '#364B9A',
      lineStyle: { type: 'dashed', width: TV ? 3 : 1.5 }, data }];
  }

  function forecastTip(p) {
    return when(p.target_time) + '<br>' + t('forecast') + ' : ' + degrees(p.value) + '<br>'
      + escapeHtml(t('forecastModel', { m: p.model })) + ' — '
      + escapeHtml(p.mae === null ? '—' : t('forecastMae', { e: num(p.mae, 1), h: p.horizon_h }));
  }

  function stationChartOption(s) {
    const hourly = s ? s.hourly : [];
    const lastHour = hourly.length ? hourly[hourly.length - 1].hour : null;
    const minOf = (h) => h.temperature_min;
    // Band = invisible min line + stacked (max - min) area on top of it.
    const range = (h) => (h.temperature_min === null || h.temperature_max === null
      ? null : h.temperature_max - h.temperature_min);
    return {
      textStyle: textStyle(),
      tooltip: {
        show: !TV, trigger: 'axis', confine: true, textStyle: textStyle(),
        formatter: (items) => {
          // Past the last observed hour only the forecast has a point.
          const ahead = items.find((i) => i.seriesId === 'forecast' && i.data.point);
          if (ahead && (!lastHour || Date.parse(ahead.data.point.target_time) > Date.parse(lastHour))) {
            return forecastTip(ahead.data.point);
          }
          const h = hourly[items[0].dataIndex];
          return when(h.hour) + '<br>' + t('mean') + ' : ' + degrees(h.temperature_mean)
            + '<br>' + t('min') + ' / ' + t('max') + ' : ' + degrees(h.temperature_min) + ' / '
            + degrees(h.temperature_max) + '<br>' + t('rain') + ' : ' + num(h.rain_sum, 1) + ' mm';
        },
      },
      legend: { top: 0, data: [t('mean'), t('min') + '–' + t('max'), t('rain')]
        .concat(s && s.forecast && s.forecast.length ? [t('forecast')] : []), textStyle: textStyle() },
      grid: { left: 8, right: 8, top: TV ? 70 : 44, bottom: 8, containLabel: true },
      xAxis: timeAxis(),
      yAxis: [valueAxis('°C'), valueAxis('mm', { scale: false, min: 0, splitLine: { show: false } })],
      series: [
        { name: 'min', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 },
          silent: true, data: hourly.map((h) => [h.hour, minOf(h)]) },
        { name: t('min') + '–' + t('max'), type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 },
          color: '#98CAE1', areaStyle: { color: '#98CAE1', opacity: 0.6 }, silent: true,
          data: hourly.map((h) => [h.hour, range(h)]) },
        { name: t('mean'), type: 'line', symbol: 'none', color: '#364B9A', lineStyle: { width: TV ? 4 : 2 },
          data: hourly.map((h) => [h.hour, h.temperature_mean]),
          markArea: { silent: true, label: { fontSize: baseFont() * 0.9, position: 'insideTop' },
            data: s ? stationAlertAreas(s, lastHour) : [] } },
        { name: t('rain'), type: 'bar', yAxisIndex: 1, color: '#F67E4B', barMaxWidth: 6,
          data: hourly.map((h) => [h.hour, h.rain_sum]) },
      ].concat(forecastSeries(s, hourly)),
    };
  }

  function renderStation() {
    const s = stationList().find((x) => stationKey(x) === state.station) || null;
    $('station-title').textContent = s ? stationName(s) : '';
    $('station-chart').dataset.station = state.station || '';
    renderStationLatest(s);
    chart('station-chart').setOption(stationChartOption(s), true);
    const m = s && s.tomorrow_maximum;
    $('station-tomorrow').textContent = m ? t('tomorrowMax', { v: degrees(m.value), m: m.model,
      e: m.mae === null ? '—' : num(m.mae, 1) }) : '';
  }

  function selectStation(key) {
    state.station = key;
    $('station-select').value = key;
    renderStation();
  }

  // ---- Air quality -----------------------------------------------------------------------------
  // The ATMO index colours, classes 1 (bon) to 6 (extrêmement mauvais); grey: no index.
  const INDEX_COLORS = ['#50F0E6', '#50CCAA', '#F0E641', '#FF5050', '#960032', '#7D2181'];
  const indexColor = (index) => (index && index.class >= 1 && index.class <= 6
    ? INDEX_COLORS[index.class - 1] : NO_DATA_COLOR);
  const SECTOR_NAMES = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW',
    'W', 'WNW', 'NW', 'NNW'];
  const ROSE_POLLUTANTS = [['NO2', '#364B9A'], ['PM10', '#F67E4B'], ['PM2.5', '#A50026'], ['O3', '#6EA6CD']];
  const airStations = () => (state.air ? state.air.stations : []);

  function airTooltip(s) {
    const lines = ['<b>' + escapeHtml(s.name) + '</b> (' + escapeHtml(s.code) + ')', escapeHtml(s.commune)];
    lines.push(escapeHtml(s.index ? t('airIndex', { d: s.index.day, c: s.index.class, l: s.index.label,
      p: s.index.dominant }) : t('airNoIndex')));
    return lines.join('<br>');
  }

  function airMapOption() {
    const stations = airStations();
    const option = {
      textStyle: textStyle(),
      tooltip: tooltip((p) => (p.seriesType === 'scatter' ? airTooltip(stations[p.dataIndex]) : '')),
      series: [],
    };
    const points = stations.map((s) => ({ name: s.code, value: [s.longitude, s.latitude],
      itemStyle: { color: indexColor(s.index), borderColor: '#111', borderWidth: 1 } }));
    if (state.communeSet) {
      option.geo = { map: state.communeSet.name, nameProperty: 'code', roam: !TV && !narrow(),
        ...mapLayout(), ...stationFrame(stations), selectedMode: false, silent: true,
        itemStyle: { areaColor: '#eef0ee', borderColor: '#fff', borderWidth: 0.6 } };
      option.series.push({ type: 'scatter', coordinateSystem: 'geo', symbolSize: TV ? 24 : 14, data: points });
    } else {
      // No commune shapes: the stations on plain longitude / latitude axes.
      option.xAxis = { type: 'value', scale: true, show: false };
      option.yAxis = { type: 'value', scale: true, show: false };
      option.series.push({ type: 'scatter', symbolSize: TV ? 24 : 14, data: points });
    }
    return option;
  }

  function renderAirSelect() {
    const select = $('air-station-select');
    const list = airStations().filter((s) => s.file);
    select.innerHTML = list.map((s) => '<option value="' + escapeHtml(s.code) + '">'
      + escapeHtml(s.name + ' (' + s.code + ')') + '</option>').join('');
    if (!state.airStation || !list.some((s) => s.code === state.airStation)) {
      const indexed = list.find((s) => s.index);
      state.airStation = indexed ? indexed.code : list.length ? list[0].code : null;
    }
    select.value = state.airStation || '';
  }

  // NO2 and PM10 beside the paired wind on one time axis; nulls stay gaps; exceedances shaded.
  function airChartOption(file) {
    const hours = file ? file.hours : [];
    const line = (name, values, color, extra) => Object.assign({
      name, type: 'line', showSymbol: false, connectNulls: false, color,
      data: hours.map((h, i) => [h, values ? values[i] : null]),
    }, extra);
    const pollutants = file ? file.pollutants : {};
    const areas = (pollutant) => (file ? file.exceedances : []).filter((e) => e.pollutant === pollutant)
      .map((e) => [{ name: t('exceedance') + ' ' + e.level, xAxis: e.start }, { xAxis: e.end }]);
    const markArea = (pollutant) => ({ silent: true, itemStyle: { color: 'rgba(221,61,45,0.18)' },
      data: areas(pollutant) });
    return {
      textStyle: textStyle(),
      tooltip: { show: !TV, trigger: 'axis', confine: true, textStyle: textStyle() },
      legend: { top: 0, textStyle: textStyle() },
      grid: { left: 8, right: 8, top: TV ? 70 : 44, bottom: 8, containLabel: true },
      xAxis: timeAxis(),
      yAxis: [valueAxis('µg/m³', { scale: false, min: 0 }),
        valueAxis('km/h', { scale: false, min: 0, splitLine: { show: false } })],
      series: [
        line('NO2', pollutants.NO2, '#364B9A', { markArea: markArea('NO2') }),
        line('PM10', pollutants.PM10, '#F67E4B', { markArea: markArea('PM10') }),
        line(t('windSpeed'), file ? file.wind_speed_kmh : null, '#555',
          { yAxisIndex: 1, lineStyle: { type: 'dashed' } }),
      ],
    };
  }

  function roseOption(file) {
    const rose = file ? file.rose : null;
    const sectors = rose ? rose.sectors : [];
    return {
      textStyle: textStyle(),
      title: { text: t('roseTitle', { d: rose ? rose.days : 30 }), textStyle: { fontSize: baseFont() * 1.1 } },
      tooltip: { show: !TV, trigger: 'axis', confine: true, textStyle: textStyle(),
        formatter: (items) => {
          const sector = sectors[items[0].dataIndex];
          return SECTOR_NAMES[items[0].dataIndex] + ' — ' + num(sector ? sector.hours : 0, 0) + ' ' + t('hours')
            + items.map((p) => '<br>' + p.seriesName + ' : ' + num(p.value, 1) + ' µg/m³').join('');
        } },
      legend: { bottom: 0, textStyle: textStyle() },
      polar: { radius: ['8%', '70%'], center: ['50%', '52%'] },
      angleAxis: { type: 'category', data: SECTOR_NAMES, startAngle: 90 + 360 / 32, clockwise: true,
        axisLabel: { fontSize: baseFont() } },
      radiusAxis: { type: 'value', min: 0, axisLabel: { fontSize: baseFont() * 0.8 } },
      series: ROSE_POLLUTANTS.map(([name, color]) => ({
        name, type: 'bar', coordinateSystem: 'polar', color,
        data: sectors.map((s) => (s.means[name] === null || s.means[name] === undefined ? null : s.means[name])),
      })),
    };
  }

  function renderAirStation() {
    const s = airStations().find((x) => x.code === state.airStation) || null;
    const file = state.airFile && state.airFile.code === state.airStation ? state.airFile : null;
    $('air-station-title').textContent = s ? s.name + ' (' + s.code + ')' : '';
    $('air-station-index').textContent = s && s.index ? t('airIndex', { d: s.index.day, c: s.index.class,
      l: s.index.label, p: s.index.dominant }) : t('airNoIndex');
    $('air-chart').dataset.station = file ? file.code : '';
    chart('air-chart').setOption(airChartOption(file), true);
    chart('air-rose').setOption(roseOption(file), true);
    $('air-calm').textContent = file ? t('calm', { v: num(file.rose.calm_below_kmh, 0), n: file.rose.calm_hours }) : '';
  }

  // A station's file is loaded when it is chosen (one file per station).
  async function selectAirStation(code) {
    state.airStation = code;
    $('air-station-select').value = code;
    const s = airStations().find((x) => x.code === code);
    if (s && s.file && !(state.airFile && state.airFile.code === code)) {
      try {
        state.airFile = await getJson(s.file);
      } catch (error) {
        console.warn('meteo-etl dashboard: air-quality file', error);
        state.airFile = null;
      }
    }
    renderAirStation();
    if (window.__dashboard) window.__dashboard.airLoaded = code;
  }

  // Colour a station point was given (for tests).
  function airStationColor(code) {
    const option = charts['air-map'] && charts['air-map'].getOption();
    const point = option ? option.series[0].data.find((d) => d.name === code) : null;
    return point ? point.itemStyle.color : null;
  }

  // "Indice le plus élevé : Toulouse Périphérique, 4 — Mauvais · 1 alerte en cours".
  function renderAirHeadline() {
    const indexed = airStations().filter((s) => s.index).sort((a, b) => b.index.class - a.index.class);
    const top = indexed[0];
    renderHeadline('air-headline', [top ? t('airHighest', { s: top.name, c: top.index.class, l: top.index.label })
      : t('airNone')], top ? top.index.class : null, null);
  }

  function renderAirTable() {
    const stations = airStations().slice().sort((a, b) => a.name.localeCompare(b.name, locale()));
    renderTable('air-table', t('airCaption'), [t('station'), t('commune'), t('indexClass'), t('indexLabel'),
      t('dominant')], stations.map((s) => ({ key: s.code, cells: [s.name + ' (' + s.code + ')', s.commune,
      s.index ? String(s.index.class) : t('noData'), s.index ? s.index.label : '—', s.index ? s.index.dominant : '—'],
    values: [null, s.index ? s.index.class : null] })));
  }

  // Synchronous like the other panels; the chosen station's file follows when it has loaded.
  function renderAir() {
    const has = Boolean(state.meta.air_quality && state.air);
    $('panel-air').hidden = !has;
    if (!has) return;
    $('air-label').textContent = state.meta.air_quality.label || state.air.label || '';
    chart('air-map').setOption(airMapOption(), true);
    renderAirHeadline();
    renderAirTable();
    renderAirSelect();
    renderAirStation();
    if (state.airStation) selectAirStation(state.airStation);
  }


  // ---- Did it work? (weather-normalised series, interventions) --------------------------------
  const impactOf = (meta) => (meta && meta.air_quality && meta.air_quality_impact) || null;
  const impactStations = () => (impactOf(state.meta) ? impactOf(state.meta).stations : []);
  // A percentage rounded to a whole number, its sign always shown: "−23 %".
  function percent(v) {
    const r = Math.round(v);
    return (r < 0 ? '−' : r > 0 ? '+' : '') + num(Math.abs(r), 0) + ' %';
  }
  function effectText(effect) {
    if (!effect) return t('noEffect');
    return t('effect', { e: percent(effect.effect_percent), lo: percent(effect.effect_ci_low_percent),
      hi: percent(effect.effect_ci_high_percent) });
  }
  function day(iso) {
    return new Intl.DateTimeFormat(locale(), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(iso));
  }

  function impactSeries() {
    const file = state.impactFile && state.impactFile.code === state.impactStation ? state.impactFile : null;
    return file && file.pollutants[state.impactPollutant] ? file.pollutants[state.impactPollutant] : null;
  }

  // Observed and normalised daily means on one time axis (gaps kept); each intervention inside
  // the series a vertical line labelled with its name and estimated effect.
  function impactChartOption(series) {
    const days = series ? series.days : [];
    const line = (name, values, color, extra) => Object.assign({
      name, type: 'line', showSymbol: false, connectNulls: false, color,
      data: days.map((d, i) => [d, values[i]]),
    }, extra);
    const inside = (series ? series.interventions : [])
      .filter((iv) => days.length && iv.date >= days[0] && iv.date <= days[days.length - 1]);
    return {
      textStyle: textStyle(),
      tooltip: { show: !TV, trigger: 'axis', confine: true, textStyle: textStyle(),
        valueFormatter: (v) => num(v, 1) + ' µg/m³' },
      legend: { top: 0, textStyle: textStyle() },
      grid: { left: 8, right: 16, top: TV ? 70 : 44, bottom: 8, containLabel: true },
      xAxis: timeAxis(),
      yAxis: valueAxis('µg/m³', { scale: false, min: 0 }),
      series: series ? [
        line(t('observed'), series.observed_ugm3, '#9e9e9e', { lineStyle: { width: 1 } }),
        line(t('normalised'), series.normalised_ugm3, '#364B9A', {
          lineStyle: { width: TV ? 4 : 2.5 },
          markLine: {
            symbol: ['none', 'none'], silent: true,
            lineStyle: { color: '#DD3D2D', type: 'solid', width: 1.5 },
            label: { position: 'insideEndTop', fontSize: baseFont(), color: '#7a2e00' },
            data: inside.map((iv) => ({ name: iv.name, xAxis: iv.date,
              label: { formatter: iv.name + '\n' + effectText(iv.effect) } })),
          },
        }),
      ] : [],
    };
  }

  function incrementOption() {
    const pollutants = state.increment ? Object.entries(state.increment.pollutants) : [];
    const colors = { NO2: '#364B9A', PM10: '#F67E4B', 'PM2.5': '#A50026', O3: '#6EA6CD' };
    return {
      textStyle: textStyle(),
      tooltip: { show: !TV, trigger: 'axis', confine: true, textStyle: textStyle(),
        valueFormatter: (v) => num(v, 1) + ' µg/m³' },
      legend: { top: 0, textStyle: textStyle() },
      grid: { left: 8, right: 16, top: TV ? 70 : 36, bottom: 8, containLabel: true },
      xAxis: timeAxis(),
      yAxis: valueAxis('µg/m³'),
      series: pollutants.map(([name, s]) => ({
        name, type: 'line', showSymbol: false, connectNulls: false, color: colors[name] || '#555',
        data: s.days.map((d, i) => [d, s.increment_ugm3[i]]),
      })),
    };
  }

  function renderImpactSelects() {
    const stations = impactStations();
    const select = $('impact-station-select');
    select.innerHTML = stations.map((s) => '<option value="' + escapeHtml(s.code) + '">'
      + escapeHtml((s.name || s.code) + ' (' + s.code + ')') + '</option>').join('');
    if (!state.impactStation || !stations.some((s) => s.code === state.impactStation)) {
      state.impactStation = stations.length ? stations[0].code : null;
    }
    select.value = state.impactStation || '';
    const station = stations.find((s) => s.code === state.impactStation);
    const pollutants = station ? station.pollutants : [];
    $('impact-pollutant-select').innerHTML = pollutants.map((p) => '<option value="' + escapeHtml(p) + '">'
      + escapeHtml(p) + '</option>').join('');
    if (!pollutants.includes(state.impactPollutant)) {
      state.impactPollutant = pollutants.includes('NO2') ? 'NO2' : pollutants.length ? pollutants[0] : null;
    }
    $('impact-pollutant-select').value = state.impactPollutant || '';
  }

  function renderImpactStation() {
    const series = impactSeries();
    const station = impactStations().find((s) => s.code === state.impactStation);
    $('impact-title').textContent = station && series
      ? (station.name || station.code) + ' — ' + state.impactPollutant : '';
    const box = $('impact-chart');
    box.dataset.station = series ? state.impactStation : '';
    box.dataset.pollutant = series ? state.impactPollutant : '';
    chart('impact-chart').setOption(impactChartOption(series), true);
    $('impact-effects').innerHTML = (series ? series.interventions : []).map((iv) => '<li>'
      + '<b>' + escapeHtml(iv.name) + '</b> (' + escapeHtml(day(iv.date)) + ') — <span class="effect">'
      + escapeHtml(effectText(iv.effect)) + '</span>'
      + (iv.effect ? ' (' + escapeHtml(t('rawEffect', { e: percent(iv.effect.raw_effect_percent) })) + ')' : '')
      + (iv.description ? ' — ' + escapeHtml(iv.description) : '') + '</li>').join('');
    const m = series ? series.model : null;
    $('impact-model').textContent = m ? t('model', { r2: num(m.r2, 2), rmse: num(m.rmse_ugm3, 1),
      learner: m.learner, seed: m.seed, from: day(m.training_from), to: day(m.training_to),
      hours: num(m.training_hours, 0) }) : '';
  }

  // A station's file is loaded when it is chosen; a pollutant is a key of that file.
  async function selectImpact(code, pollutant) {
    state.impactStation = code;
    if (pollutant) state.impactPollutant = pollutant;
    renderImpactSelects();
    const station = impactStations().find((s) => s.code === code);
    if (station && !(state.impactFile && state.impactFile.code === code)) {
      try {
        state.impactFile = await getJson(station.file);
      } catch (error) {
        console.warn('meteo-etl dashboard: normalised file', error);
        state.impactFile = null;
      }
    }
    renderImpactStation();
    if (window.__dashboard) window.__dashboard.impactLoaded = code + '/' + state.impactPollutant;
  }

  function renderImpact() {
    const impact = impactOf(state.meta);
    $('panel-impact').hidden = !impact;
    if (!impact) return;
    const hasSeries = impactStations().length > 0;
    $('impact-normalised').hidden = !hasSeries;
    $('impact-model').hidden = !hasSeries;
    const hasIncrement = Boolean(state.increment);
    $('impact-increment-box').hidden = !hasIncrement;
    if (hasIncrement) chart('impact-increment').setOption(incrementOption(), true);
    if (!hasSeries) return;
    renderImpactSelects();
    renderImpactStation();
    if (state.impactStation) selectImpact(state.impactStation);
  }

  // ---- Période ---------------------------------------------------------------------------------
  // A period per station from data/daily-<source>.json: the figures by web/src/period.js (the rule
  // of `meteo-etl query period`), a comparison period of the same length, daily charts where a day
  // without a row is a gap, and the CSV of exactly what is shown.
  const P = window.MeteoPeriod;
  // Every station with days, over every daily file: { id: "<source>|<key>", source, station }.
  function periodStations() {
    return (state.daily || []).flatMap((file) => file.stations.map((station) => ({
      id: file.source + '|' + station.key, source: file.source, station })));
  }
  const periodStationName = (e) => stationName({ name: e.station.name, commune: e.station.commune,
    dataset_id: e.station.key });
  // The newest day of any file: the default period ends there.
  const periodNewest = () => (state.daily || []).map((f) => f.newest_day).filter(Boolean).sort().pop() || null;

  // The form's choice, checked: { entries, period, compare } or { error }.
  function periodChoice() {
    const all = periodStations();
    const chosen = all.filter((e) => state.period.stations.includes(e.id));
    const { from, to } = state.period;
    if (!chosen.length) return { error: t('periodNoStation') };
    if (!from || !to) return { error: t('periodNoDates') };
    if (to < from) return { error: t('periodBadRange') };
    const period = { from, to: P.addDays(to, 1) }; // the form's end is included; --to is not
    let compare = null;
    if (state.period.compare) {
      compare = P.comparisonPeriod(period.from, period.to, state.period.compare);
      if (!compare) return { error: t('periodBadCompare') };
    }
    const entries = chosen.map((e) => ({
      source: e.source, station: e.station, name: periodStationName(e), period,
      figures: P.periodFigures(e.station, period.from, period.to),
      compare, compareFigures: compare ? P.periodFigures(e.station, compare.from, compare.to) : null,
    }));
    return { entries, period, compare };
  }

  // How each figure is shown: its label key, unit and digits.
  const PERIOD_FIGURES = [
    ['temperature_mean', 'periodTempMean', '°C', 1], ['temperature_min', 'periodTempMin', '°C', 1],
    ['temperature_max', 'periodTempMax', '°C', 1], ['pressure_mean', 'periodPressure', 'hPa', 1],
    ['wind_mean', 'periodWindMean', 'km/h', 1], ['gust_max', 'periodGustMax', 'km/h', 1],
    ['rain_sum', 'periodRain', 'mm', 1], ['heavy_rain_days', 'periodHeavyRain', '', 0],
    ['days_observed', 'periodDays', '', 0],
  ];
  const withUnit = (v, unit, digits) => (v === null || v === undefined ? t('noData')
    : num(v, digits) + (unit ? ' ' + unit : ''));
  function signedFigure(v, unit, digits) {
    if (v === null || v === undefined) return '—';
    return (v > 0 ? '+' : v < 0 ? '−' : '±') + num(Math.abs(v), digits) + (unit ? ' ' + unit : '');
  }

  function periodCard(e) {
    const diff = e.compare ? P.differences(e.figures, e.compareFigures) : null;
    const rows = PERIOD_FIGURES.map(([key, label, unit, digits]) => {
      const shown = key === 'days_observed'
        ? t('periodDaysOf', { n: e.figures.days_observed, d: P.daysBetween(e.period.from, e.period.to) })
        : withUnit(e.figures[key], unit, digits);
      const compared = e.compare ? ' <span class="compare" data-compare="' + key + '">('
        + escapeHtml(t('periodVs', { v: withUnit(e.compareFigures[key], unit, digits),
          d: signedFigure(diff[key], unit, digits) })) + ')</span>' : '';
      return '<dt>' + escapeHtml(t(label)) + '</dt><dd data-figure="' + key + '" data-value="'
        + (e.figures[key] === null ? '' : e.figures[key]) + '">' + escapeHtml(shown) + compared + '</dd>';
    });
    return '<article class="period-card" data-testid="period-card" data-key="' + escapeHtml(e.station.key)
      + '"><h3>' + escapeHtml(e.name) + '</h3><dl>' + rows.join('') + '</dl></article>';
  }

  // Paul Tol's "bright" qualitative scheme: one colour per station, distinct for colour-blind readers.
  const PERIOD_COLORS = ['#4477AA', '#EE6677', '#228833', '#CCBB44', '#66CCEE', '#AA3377', '#BBBBBB'];
  const periodColor = (i) => PERIOD_COLORS[i % PERIOD_COLORS.length];
  const gap = (v) => (v === null || v === undefined ? null : v);

  function periodChartBase(title, unit, dates) {
    return {
      title: { text: title, textStyle: { fontSize: baseFont() * 1.1 }, left: 0, top: 0 },
      textStyle: textStyle(),
      tooltip: { show: !TV, trigger: 'axis', confine: true, textStyle: textStyle(),
        valueFormatter: (v) => withUnit(v, unit, 1) },
      legend: { top: narrow() ? 22 : 0, right: 0, textStyle: textStyle() },
      grid: { left: 8, right: 16, top: narrow() ? 70 : 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: dates, axisLabel: { fontSize: baseFont(), hideOverlap: true } },
      yAxis: valueAxis(unit),
      series: [],
    };
  }
  const line = (name, color, data, extra) => Object.assign({ name, type: 'line', color, data,
    connectNulls: false, showSymbol: data.length <= 62, symbolSize: 4 }, extra);

  // Temperature: per station the min–max band (the minimum, then the range stacked on it, both
  // null on a gap) and the daily mean line.
  function periodTemperatureOption(days, dates, entries) {
    const option = periodChartBase(t('periodTempChart'), '°C', dates);
    entries.forEach((e, i) => {
      const d = days[i];
      const stack = 'band' + i;
      option.series.push(
        line(e.name + ' — ' + t('min'), periodColor(i), d.map((x) => gap(x.temperature_min)),
          { stack, lineStyle: { opacity: 0 }, showSymbol: false, tooltip: { show: false }, legendHoverLink: false }),
        line(e.name + ' — ' + t('max'), periodColor(i), d.map((x) => (x.temperature_min === null
          || x.temperature_max === null ? null : x.temperature_max - x.temperature_min)),
        { stack, lineStyle: { opacity: 0 }, showSymbol: false, areaStyle: { opacity: 0.2 }, tooltip: { show: false } }),
        line(e.name + ' — ' + t('mean'), periodColor(i), d.map((x) => gap(x.temperature_mean)),
          { lineStyle: { width: 2 } }));
    });
    // The band's series are stacked (max − min): the tooltip says min and max as they are.
    option.tooltip.formatter = (params) => {
      const i = params.length ? params[0].dataIndex : 0;
      return escapeHtml(dates[i]) + entries.map((e, k) => {
        const x = days[k][i];
        return '<br>' + escapeHtml(e.name) + ' : ' + escapeHtml(t('mean')) + ' ' + withUnit(x.temperature_mean, '°C', 1)
          + ', ' + escapeHtml(t('min')) + ' ' + withUnit(x.temperature_min, '°C', 1) + ', '
          + escapeHtml(t('max')) + ' ' + withUnit(x.temperature_max, '°C', 1);
      }).join('');
    };
    option.legend.data = entries.map((e) => e.name + ' — ' + t('mean'));
    return option;
  }

  function periodSimpleOption(title, unit, dates, series) {
    const option = periodChartBase(title, unit, dates);
    option.series = series;
    return option;
  }

  function renderPeriodCharts(choice) {
    const { entries, period } = choice;
    const dates = P.datesOf(period.from, period.to);
    const days = entries.map((e) => P.stationDays(e.station, period.from, period.to));
    const values = (i, key) => days[i].map((x) => gap(x[key]));
    chart('period-temperature').setOption(periodTemperatureOption(days, dates, entries), true);
    chart('period-pressure').setOption(periodSimpleOption(t('periodPressureChart'), 'hPa', dates,
      entries.map((e, i) => line(e.name, periodColor(i), values(i, 'pressure_mean')))), true);
    chart('period-wind').setOption(periodSimpleOption(t('periodWindChart'), 'km/h', dates,
      entries.flatMap((e, i) => [
        line(e.name + ' — ' + t('mean'), periodColor(i), values(i, 'wind_mean')),
        line(e.name + ' — ' + t('gust'), periodColor(i), values(i, 'gust_max'), { lineStyle: { type: 'dashed' } }),
      ])), true);
    chart('period-rain').setOption(periodSimpleOption(t('periodRainChart'), 'mm', dates,
      entries.map((e, i) => ({ name: e.name, type: 'bar', color: periodColor(i), data: values(i, 'rain_sum') }))), true);
  }

  function renderPeriodTables(choice) {
    const { entries, compare } = choice;
    const headers = [t('station')].concat(PERIOD_FIGURES.map(([, label]) => t(label)));
    const rows = [];
    entries.forEach((e) => {
      const cells = (f) => PERIOD_FIGURES.map(([key, , unit, digits]) => withUnit(f[key], unit, digits));
      const values = (f) => PERIOD_FIGURES.map(([key]) => f[key]);
      rows.push({ key: e.station.key, cells: [e.name + ' — ' + e.period.from + ' → ' + P.addDays(e.period.to, -1)]
        .concat(cells(e.figures)), values: values(e.figures) });
      if (compare) {
        rows.push({ key: e.station.key + '|compare', cells: [e.name + ' — ' + compare.from + ' → '
          + P.addDays(compare.to, -1)].concat(cells(e.compareFigures)), values: values(e.compareFigures) });
      }
    });
    renderTable('period-table', t('periodCaption'), headers, rows);
    const dayHeaders = [t('periodDay'), t('station'), t('periodTempMean'), t('periodTempMin'), t('periodTempMax'),
      t('periodPressure'), t('periodWindMean'), t('periodGustMax'), t('periodRain')];
    const dayKeys = ['temperature_mean', 'temperature_min', 'temperature_max', 'pressure_mean', 'wind_mean',
      'gust_max', 'rain_sum'];
    const dayRows = [];
    entries.forEach((e) => P.stationDays(e.station, e.period.from, e.period.to).forEach((d) => {
      dayRows.push({ key: e.station.key + '|' + d.day, cells: [d.day, e.name]
        .concat(dayKeys.map((k) => (d[k] === null ? t('noData') : num(d[k], 1)))),
      values: [null].concat(dayKeys.map((k) => d[k])) });
    }));
    renderTable('period-days-table', t('periodDaysCaption'), dayHeaders, dayRows);
  }

  function renderPeriodForm() {
    const all = periodStations();
    const select = $('period-stations');
    select.innerHTML = all.map((e) => '<option value="' + escapeHtml(e.id) + '"'
      + (state.period.stations.includes(e.id) ? ' selected' : '') + '>'
      + escapeHtml(periodStationName(e) + (state.daily.length > 1 ? ' — ' + sourceName(e.source) : ''))
      + '</option>').join('');
    const newest = periodNewest();
    for (const id of ['period-from', 'period-to', 'period-compare']) $(id).max = newest || '';
    $('period-from').value = state.period.from || '';
    $('period-to').value = state.period.to || '';
    $('period-compare').value = state.period.compare || '';
  }

  function renderPeriodView() {
    const choice = periodChoice();
    state.periodShown = choice.error ? null : choice;
    $('period-message').textContent = choice.error || '';
    $('period-csv').disabled = Boolean(choice.error);
    $('period-days-csv').disabled = Boolean(choice.error);
    if (choice.error) {
      $('period-cards').innerHTML = '';
      ['period-temperature', 'period-pressure', 'period-wind', 'period-rain'].forEach((id) => chart(id).clear());
      $('period-table').innerHTML = '';
      $('period-days-table').innerHTML = '';
      return;
    }
    $('period-cards').innerHTML = choice.entries.map(periodCard).join('');
    renderPeriodCharts(choice);
    renderPeriodTables(choice);
  }

  function renderPeriod() {
    const has = periodStations().length > 0;
    $('panel-period').hidden = !has;
    if (!has) return;
    // The first time (or when the chosen stations are gone): the first station, the last 7 days.
    const ids = periodStations().map((e) => e.id);
    state.period.stations = state.period.stations.filter((id) => ids.includes(id));
    if (!state.period.stations.length) state.period.stations = [ids[0]];
    if (!state.period.to) {
      const newest = periodNewest();
      state.period.to = newest;
      state.period.from = newest ? P.addDays(newest, -6) : null;
    }
    renderPeriodForm();
    renderPeriodView();
  }

  // Exactly what is shown, as a file: the cards (the columns of `query period --format csv`) or
  // the charts' days.
  const periodCsvText = (kind) => (state.periodShown
    ? (kind === 'days' ? P.daysCsv : P.figuresCsv)(state.periodShown.entries) : '');
  function downloadPeriodCsv(kind) {
    const shown = state.periodShown;
    if (!shown) return;
    const blob = new Blob([periodCsvText(kind)], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'periode-' + (kind === 'days' ? 'jours-' : '') + shown.period.from + '-'
      + P.addDays(shown.period.to, -1) + '.csv';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  function wirePeriod() {
    // Enter in a date field must not submit (and reload) the page; no inline handler: the CSP of
    // `meteo-etl serve` allows scripts from files only.
    $('period-form').addEventListener('submit', (e) => e.preventDefault());
    $('period-stations').addEventListener('change', (e) => {
      state.period.stations = Array.from(e.target.selectedOptions).map((o) => o.value);
      renderPeriodView();
    });
    for (const [id, key] of [['period-from', 'from'], ['period-to', 'to'], ['period-compare', 'compare']]) {
      $(id).addEventListener('change', (e) => { state.period[key] = e.target.value || null; renderPeriodView(); });
    }
    $('period-csv').addEventListener('click', () => downloadPeriodCsv('figures'));
    $('period-days-csv').addEventListener('click', () => downloadPeriodCsv('days'));
  }

  // ---- Whole page ------------------------------------------------------------------------------
  function renderAll() {
    applyLanguage();
    renderBanner();
    renderAlerts();
    renderFranceMap();
    renderFranceHeadline();
    renderFranceTable();
    renderRegionSelect();
    renderRegionSeries();
    const hasStations = Boolean(state.meta.stations && state.stations && state.communeSet);
    $('panel-toulouse').hidden = !hasStations;
    if (hasStations) {
      renderToulouseMap();
      renderToulouseHeadline();
      renderToulouseTables();
      renderStationSelect();
      renderStation();
    }
    renderAir();
    renderImpact();
    renderPeriod();
    if (TV) showSlide(slideIndex);
    resizeAll();
  }

  function resizeAll() {
    Object.values(charts).forEach((c) => c.resize());
  }

  function wireInteractions() {
    $('region-select').addEventListener('change', (e) => selectRegion(e.target.value));
    $('station-select').addEventListener('change', (e) => selectStation(e.target.value));
    chart('france-map').on('click', (p) => { if (p.name) selectRegion(p.name); });
    $('air-station-select').addEventListener('change', (e) => selectAirStation(e.target.value));
    $('impact-station-select').addEventListener('change', (e) => selectImpact(e.target.value));
    $('impact-pollutant-select').addEventListener('change',
      (e) => selectImpact(state.impactStation, e.target.value));
    wirePeriod();
    chart('air-map').on('click', (p) => {
      if (p.seriesType === 'scatter' && airStations()[p.dataIndex].file) selectAirStation(airStations()[p.dataIndex].code);
    });
    chart('toulouse-map').on('click', (p) => {
      if (p.seriesType === 'scatter') selectStation(stationList()
        .filter((s) => s.latitude !== null && s.longitude !== null)[p.dataIndex].dataset_id);
    });
  }

  function wireResize() {
    let pending = 0;
    window.addEventListener('resize', () => {
      clearTimeout(pending);
      pending = setTimeout(resizeAll, 100);
    });
  }

  // ---- Kiosk -----------------------------------------------------------------------------------
  let slideIndex = 0;
  function slides() {
    return ['panel-france', 'panel-toulouse', 'panel-air', 'panel-impact', 'panel-period'].map($).filter((p) => !p.hidden);
  }
  function showSlide(i) {
    const all = slides();
    if (!all.length) return;
    slideIndex = i % all.length;
    all.forEach((p, k) => p.classList.toggle('active', k === slideIndex));
    document.body.dataset.slide = all[slideIndex].id;
    resizeAll(); // a panel that was display:none was laid out at zero size
  }
  function nextSlide() {
    const all = slides();
    const next = (slideIndex + 1) % all.length;
    // Coming back to a panel shows the next region / station, so a one-panel kiosk still moves.
    if (all[next].id === 'panel-france') cycleRegion();
    if (all[next].id === 'panel-toulouse') cycleStation();
    showSlide(next);
    document.body.dataset.rotations = String(Number(document.body.dataset.rotations || 0) + 1);
  }
  function cycle(list, current) {
    if (!list.length) return current;
    const i = list.indexOf(current);
    return list[(i + 1) % list.length];
  }
  function cycleRegion() {
    const codes = (state.france ? state.france.regions : []).filter((r) => r.series.length).map((r) => r.code);
    if (codes.length) selectRegion(cycle(codes, state.region));
  }
  function cycleStation() {
    const keys = stationList().filter((s) => s.hourly.length).map(stationKey);
    if (keys.length) selectStation(cycle(keys, state.station));
  }

  async function poll() {
    if (live.state === 'connected') return; // the server says when files change
    try {
      const meta = await getJson('meta.json');
      if (meta.generated_at !== state.generatedAt) {
        await loadAll();
        renderAll();
        document.body.dataset.reloads = String(Number(document.body.dataset.reloads || 0) + 1);
        markUpdated();
      }
    } catch (error) {
      // Keep showing the last good data; the generator may be mid-rename. Next poll retries.
      console.warn('meteo-etl dashboard: poll failed', error);
    }
  }

  // ---- Live updates ----------------------------------------------------------------------------
  // `meteo-etl serve` sends on /events `run` (data: the data files a run rewrote, relative to the
  // site) and `reset` (refresh everything); heartbeats are comments. The URL is relative, so a
  // reverse proxy's prefix works. A plain static server (or file://) has no /events: an error
  // before the stream ever opened closes it for good and the page keeps polling meta.json.
  const live = { state: 'static', source: null, opened: false, failures: 0, queue: Promise.resolve() };
  // A server that went away for good: after this many failed reconnections in a row, poll instead.
  const MAX_RECONNECTS = 5;

  function setLive(next) {
    live.state = next;
    renderLive();
  }
  function renderLive() {
    const el = $('live');
    el.dataset.state = live.state;
    const key = { connected: 'liveConnected', connecting: 'liveConnecting', reconnecting: 'liveReconnecting' }[live.state];
    $('live-text').textContent = key ? t(key) : t('liveStatic', { s: num(POLL_S, 0) });
  }

  // One update at a time, in the order the events came: two runs never interleave their fetches.
  function enqueue(work, eventId) {
    live.queue = live.queue.then(work).then(() => {
      if (eventId) document.body.dataset.lastEventId = eventId;
    }).catch((error) => console.warn('meteo-etl dashboard: live update failed', error));
  }

  // What decides which files the page reads: when it changes, everything is reloaded.
  function layoutOf(meta) {
    return JSON.stringify([meta.region_sets, meta.stations, meta.station_region_set,
      meta.air_quality && meta.air_quality.file, meta.air_quality_impact, meta.alerts,
      (meta.daily || []).map((d) => d.file)]);
  }

  // The data files the page holds, each with where it goes in the state (path relative to data/).
  function heldFiles() {
    const held = new Map();
    const impact = impactOf(state.meta);
    if (state.franceSet) held.set(state.franceSet.hourly, (v) => { state.france = v; });
    if (state.meta.stations && state.communeSet) held.set(state.communeSet.hourly, (v) => { state.communes = v; });
    if (state.meta.stations) held.set(state.meta.stations, (v) => { state.stations = v; });
    if (state.meta.air_quality) held.set(state.meta.air_quality.file, (v) => { state.air = v; });
    const airStation = airStations().find((x) => x.code === state.airStation);
    if (state.airFile && airStation && airStation.file) held.set(airStation.file, (v) => { state.airFile = v; });
    if (impact && impact.increment) held.set(impact.increment, (v) => { state.increment = v; });
    const impactStation = impactStations().find((x) => x.code === state.impactStation);
    if (state.impactFile && impactStation) held.set(impactStation.file, (v) => { state.impactFile = v; });
    if (state.meta.alerts) held.set(state.meta.alerts, (v) => { state.alerts = v; });
    // The period view keeps its choice (state.period) across a new daily file.
    (state.meta.daily || []).forEach((d, i) => held.set(d.file, (v) => { state.daily[i] = v; }));
    return held;
  }

  // A `run` event: fetch only the named files the page shows, then redraw in place (the charts'
  // setOption; the selected region, station and kiosk slide are kept in the state).
  async function refreshFiles(files) {
    const named = new Set(files.map((f) => String(f).replace(/^\.?\//, '').replace(/^data\//, '')));
    if ([...named].some((f) => f.startsWith('shapes-'))) return refreshAll();
    if (named.has('meta.json')) {
      const meta = await getJson('meta.json');
      if (layoutOf(meta) !== layoutOf(state.meta)) return refreshAll();
      Object.assign(state, { meta, generatedAt: meta.generated_at });
    }
    const wanted = [...heldFiles()].filter(([file]) => named.has(file));
    if (!wanted.length && !named.has('meta.json')) return undefined; // nothing this page shows
    const bodies = await Promise.all(wanted.map(([file]) => getJson(file)));
    wanted.forEach(([, assign], i) => assign(bodies[i]));
    renderAll();
    markUpdated();
    return undefined;
  }

  async function refreshAll() {
    await loadAll();
    renderAll();
    markUpdated();
  }

  // Markers for tests and the end-to-end latency check: how many updates, from which data.
  function markUpdated() {
    const body = document.body;
    body.dataset.updates = String(Number(body.dataset.updates || 0) + 1);
    body.dataset.updatedAt = state.meta.generated_at || '';
  }

  function startLive() {
    const served = location.protocol === 'http:' || location.protocol === 'https:';
    if (!LIVE || !served || typeof EventSource !== 'function') { setLive('static'); return; }
    const source = new EventSource('events');
    live.source = source;
    setLive('connecting');
    source.onopen = () => {
      // Back after a drop: runs may have been missed meanwhile, so everything is read again.
      if (live.opened) enqueue(refreshAll);
      live.opened = true;
      live.failures = 0;
      setLive('connected');
    };
    source.onerror = () => {
      live.failures += 1;
      if (!live.opened || source.readyState === EventSource.CLOSED || live.failures > MAX_RECONNECTS) {
        source.close(); // no /events here (or it went away for good): polling, as without a server
        live.source = null;
        setLive('static');
        return;
      }
      setLive('reconnecting'); // the browser retries by itself, after the server's `retry:`
    };
    source.addEventListener('run', (e) => {
      let files = [];
      try {
        files = JSON.parse(e.data).files || [];
      } catch (error) {
        console.warn('meteo-etl dashboard: unreadable run event', error);
      }
      enqueue(() => refreshFiles(files), e.lastEventId);
    });
    source.addEventListener('reset', (e) => enqueue(refreshAll, e.lastEventId));
  }

  // ---- Start -----------------------------------------------------------------------------------
  async function start() {
    document.body.classList.toggle('tv', TV);
    window.__dashboard = { charts, state, live, ready: false, tv: TV, regionColor, communeColor, airStationColor,
      periodCsv: periodCsvText };
    try {
      await loadAll();
    } catch (error) {
      showError(error);
      window.__dashboard.error = String(error.message);
      return;
    }
    renderAll();
    wireResize();
    if (TV) {
      setInterval(nextSlide, ROTATE_S * 1000);
    } else {
      wireInteractions();
    }
    setInterval(poll, POLL_S * 1000); // also outside the kiosk: a left-open tab stays current
    startLive();
    window.__dashboard.ready = true;
  }

  // Colour ECharts actually gave a map area (for tests): read from the series' visual data.
  function areaColor(chartId, code) {
    const data = charts[chartId].getModel().getSeriesByIndex(0).getData();
    const index = data.indexOfName(code);
    if (index < 0) return null;
    const style = data.getItemVisual(index, 'style');
    return style && style.fill ? String(style.fill) : null;
  }
  function regionColor(code) { return areaColor('france-map', code); }
  function communeColor(code) { return areaColor('toulouse-map', code); }

  start();
})();
