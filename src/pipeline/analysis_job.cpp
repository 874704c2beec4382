#include "meteo/pipeline/analysis_job.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "database_run_store.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "meteo/store/ledger.hpp"
#include "run_failure.hpp"

namespace meteo::pipeline {
namespace {

std::string describe(const std::string& source, const std::string& station,
                     const std::string& pollutant) {
  return "source " + source + " station " + station + " " + pollutant;
}

// The analysis names what is short; the operator also needs to know where.
Error with_context(const Error& error, const std::string& where) {
  return Error(error.code(), where + ": " + error.what());
}

WeatherPairing require_pairing(Database& db, const std::string& source,
                               const std::string& station) {
  std::optional<WeatherPairing> pairing = read_weather_pairing(db, source, station);
  if (!pairing) {
    throw Error(ExitCode::config,
                "source " + source + " station " + station +
                    ": no paired weather station (load a station network near it, then "
                    "re-ingest the station's measurements to pair it)");
  }
  return *pairing;
}

// The hours in [from, to) of a series in hour order.
analysis::PollutionSeries slice(const analysis::PollutionSeries& series, UtcSeconds from,
                                UtcSeconds to) {
  const auto first = std::lower_bound(
      series.begin(), series.end(), from,
      [](const analysis::PollutionHour& hour, UtcSeconds at) { return hour.hour < at; });
  const auto last = std::lower_bound(
      first, series.end(), to,
      [](const analysis::PollutionHour& hour, UtcSeconds at) { return hour.hour < at; });
  return analysis::PollutionSeries(first, last);
}

bool concerns(const analysis::Intervention& intervention, const std::string& station) {
  const auto& codes = intervention.station_codes;
  return codes.empty() || std::find(codes.begin(), codes.end(), station) != codes.end();
}

class Normaliser {
 public:
  Normaliser(Database& db, const Config& config, const SourceConfig& source, std::int64_t run_id,
             spdlog::logger& log)
      : db_(db), config_(config), source_(source), run_id_(run_id), log_(log) {}

  NormalisedStationPollutant run(const StationPollutant& selected) {
    NormalisedStationPollutant out{selected.station_code, selected.pollutant};
    const std::string where = describe(source_.name, selected.station_code, selected.pollutant);
    const std::optional<WeatherPairing> pairing =
        read_weather_pairing(db_, source_.name, selected.station_code);
    if (!pairing) {
      out.skipped = "no paired weather station";
      log_.warn("{}: skipped: no paired weather station", where);
      return out;
    }
    const analysis::PollutionSeries series =
        read_pollution_series(db_, source_.name, selected.station_code, selected.pollutant);
    out.hours_read = series.size();
    AnalysisResult result{source_.name, selected.station_code, selected.pollutant};
    try {
      const analysis::NormalisedSeries normalised = analysis::normalise(series, config_.analysis);
      out.score = normalised.score;
      result.hours = normalised.hours;
    } catch (const Error& error) {
      if (error.code() != ExitCode::data) throw with_context(error, where);
      out.skipped = error.what();
      log_.warn("{}: skipped: {}", where, error.what());
      return out;
    }
    result.card = card(*pairing, series, out.score);
    result.effects = effects(series, selected.station_code, where);
    out.written = write_analysis_result(db_, result);
    out.effects = result.effects;
    log_.info("{}: {} hour(s), r2 {:.3f}, rmse {:.2f}: wrote {} hour(s), {} day(s), {} effect(s)",
              where, series.size(), out.score.r2, out.score.rmse, out.written.hours,
              out.written.days, out.written.effects);
    return out;
  }

 private:
  NormalisationModelCard card(const WeatherPairing& pairing,
                              const analysis::PollutionSeries& series,
                              const analysis::ModelScore& score) const {
    NormalisationModelCard card;
    card.run_id = run_id_;
    card.weather = pairing;
    card.learner = analysis::learner_text(config_.analysis.model);
    card.parameters = analysis::settings_text(config_.analysis);
    card.seed = config_.analysis.model.seed;
    card.threads = config_.analysis.model.threads;
    card.training_from = series.front().hour;
    card.training_to = series.back().hour + std::chrono::hours(1);
    card.score = score;
    return card;
  }

  std::vector<InterventionEffect> effects(const analysis::PollutionSeries& series,
                                          const std::string& station, const std::string& where) {
    std::vector<InterventionEffect> out;
    const AnalysisJobConfig& job = config_.analysis_job;
    for (const analysis::Intervention& intervention : job.interventions) {
      if (!concerns(intervention, station)) continue;
      const UtcSeconds date = intervention.date;
      if (series.empty() || date <= series.front().hour || date > series.back().hour) continue;
      const analysis::PollutionSeries window =
          slice(series, date - std::chrono::days(job.before_days),
                date + std::chrono::days(job.after_days));
      try {
        out.push_back({intervention.name, date, analysis::ImpactMethod::normalised,
                       analysis::estimate_impact(window, {date, analysis::ImpactMethod::normalised},
                                                 config_.analysis)});
      } catch (const Error& error) {
        if (error.code() != ExitCode::data) throw with_context(error, where);
        log_.warn("{}: intervention {} not estimated: {}", where, intervention.name, error.what());
      }
    }
    return out;
  }

  Database& db_;
  const Config& config_;
  const SourceConfig& source_;
  std::int64_t run_id_;
  spdlog::logger& log_;
};

}  // namespace

UtcSeconds parse_day(std::string_view text) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    try {
      return parse_hour(std::string(text) + "T00");
    } catch (const Error&) {
      // the message below names the expected form
    }
  }
  throw Error(ExitCode::usage,
              "\"" + std::string(text) + "\" is not a date: expected YYYY-MM-DD (UTC)");
}

void require_air_quality_source(const SourceConfig& source) {
  if (source_kind(source) != SourceKind::air_quality) {
    throw Error(ExitCode::usage, "source " + source.name + " is a " + source.type +
                                     " source; analyze needs an air-quality source");
  }
}

ImpactReport estimate_station_impact(Database& db, const Config& config, const SourceConfig& source,
                                     const ImpactQuery& query, spdlog::logger& log) {
  require_air_quality_source(source);
  const std::string where = describe(source.name, query.station_code, query.pollutant);
  if (!source_has_station(db, source.name, query.station_code)) {
    throw Error(ExitCode::data, "source " + source.name + " has no station " + query.station_code);
  }
  ImpactReport report;
  report.weather = require_pairing(db, source.name, query.station_code);
  const UtcSeconds from = query.intervention - std::chrono::days(query.before_days);
  const UtcSeconds to = query.intervention + std::chrono::days(query.after_days);
  const analysis::PollutionSeries series =
      read_pollution_series(db, source.name, query.station_code, query.pollutant, from, to);
  log.debug("{}: {} hour(s) in [{}, {})", where, series.size(), to_iso8601(from), to_iso8601(to));
  if (series.empty()) {
    throw Error(ExitCode::data,
                where + ": no measurement in [" + to_iso8601(from) + ", " + to_iso8601(to) + ")");
  }
  analysis::AnalysisSettings settings = config.analysis;
  if (query.seed) settings.model.seed = *query.seed;
  try {
    report.estimate =
        analysis::estimate_impact(series, {query.intervention, query.method}, settings);
  } catch (const Error& error) {
    throw with_context(error, where);
  }
  return report;
}

NormaliseSummary normalise_source(Database& db, const Config& config, const SourceConfig& source,
                                  const NormaliseRequest& request, spdlog::logger& log) {
  require_air_quality_source(source);
  const std::vector<StationPollutant> selected =
      list_station_pollutants(db, source.name, request.station_code, request.pollutant);
  if (selected.empty()) {
    std::string what = "source " + source.name + " has no measurement";
    if (!request.station_code.empty()) what += " at station " + request.station_code;
    if (!request.pollutant.empty()) what += " of " + request.pollutant;
    throw Error(ExitCode::data, what);
  }
  DatabaseRunStore ledger(db);
  // Its own lock: an analysis never holds up the hourly fetch of the same source.
  const auto lock = ledger.try_lock(source.name + ":analyze");
  if (!lock) {
    throw Error(ExitCode::temporary,
                "source " + source.name + ": another analyze normalise is running");
  }
  recover_abandoned_runs(ledger, source.name, log);
  NormaliseSummary summary;
  summary.run_id =
      begin_run(db, source.name, floor_to_hour(std::chrono::system_clock::now()), RunKind::analyze);
  try {
    Normaliser normaliser(db, config, source, summary.run_id, log);
    for (const StationPollutant& one : selected) {
      NormalisedStationPollutant result = normaliser.run(one);
      if (result.skipped.empty()) {
        ++summary.written;
        summary.rows += result.written.rows();
      } else {
        ++summary.skipped;
      }
      summary.results.push_back(std::move(result));
    }
    // The ledger balances: every row written is fetched and stored (verify checks the sum).
    RunCounts counts;
    counts.fetched = summary.rows;
    counts.stored = summary.rows;
    ledger.finish_run(summary.run_id, counts);
  } catch (const std::exception& error) {
    record_run_failure(ledger, summary.run_id, source.name, error, log);
    throw;
  }
  log.info(
      "source {}: analyze run {} succeeded: {} station-pollutant(s) written, {} skipped, {} "
      "row(s)",
      source.name, summary.run_id, summary.written, summary.skipped, summary.rows);
  return summary;
}

}  // namespace meteo::pipeline
