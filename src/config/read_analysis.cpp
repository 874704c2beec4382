// [analysis] (the learner, normalisation, interval, the window around an intervention) and
// [[interventions]] (the city's dated actions), both optional: `analyze` reads them.
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <string>

#include "meteo/core/errors.hpp"
#include "meteo/core/names.hpp"
#include "meteo/core/time.hpp"
#include "sections.hpp"

namespace meteo::config_detail {
namespace {

constexpr long long kMaxDays = 366 * 20;

// XGBoost's eta: 0 would learn nothing, above 1 overshoots.
void read_rate(const ConfigReader& reader, const toml::table& t, const std::string& where,
               std::string_view key, double& out) {
  double value = out;
  reader.read_number(t, where, key, value, 0, 1);
  if (value <= 0) reader.fail(ConfigReader::join(where, key), "must be above 0 and at most 1");
  out = value;
}

void read_settings(const ConfigReader& reader, const toml::table& t, Config& config) {
  const std::string where = "analysis";
  reader.expect_only(t, where,
                     {"trees", "max_depth", "learning_rate", "resamples", "bootstrap_draws",
                      "threads", "seed", "before_days", "after_days", "min_days_each_side"});
  analysis::AnalysisSettings& settings = config.analysis;
  reader.read_integer(t, where, "trees", settings.model.trees, 1, 10000);
  reader.read_integer(t, where, "max_depth", settings.model.max_depth, 1, 20);
  read_rate(reader, t, where, "learning_rate", settings.model.learning_rate);
  reader.read_integer(t, where, "resamples", settings.normalisation.resamples, 1, 10000);
  reader.read_integer(t, where, "bootstrap_draws", settings.interval.draws, 1, 100000);
  reader.read_integer(t, where, "threads", settings.model.threads, 1, 256);
  reader.read_integer(t, where, "seed", settings.model.seed, 0,
                      std::numeric_limits<long long>::max());
  reader.read_integer(t, where, "min_days_each_side", settings.min_days_each_side, 1, kMaxDays);
  AnalysisJobConfig& job = config.analysis_job;
  reader.read_integer(t, where, "before_days", job.before_days, 1, kMaxDays);
  reader.read_integer(t, where, "after_days", job.after_days, 1, kMaxDays);
  // A window shorter than the minimum could never be analysed: say so now, not at 3 a.m.
  if (job.before_days < settings.min_days_each_side ||
      job.after_days < settings.min_days_each_side) {
    reader.fail(where + ".before_days",
                "before_days and after_days must be at least min_days_each_side (" +
                    std::to_string(settings.min_days_each_side) + ")");
  }
}

// "YYYY-MM-DD" -> midnight UTC of that day.
UtcSeconds read_date(const ConfigReader& reader, const std::string& key, const std::string& text) {
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  if (shaped) {
    try {
      return parse_hour(text + "T00");
    } catch (const Error&) {
      // falls through to the message below
    }
  }
  reader.fail(key, "must be a date \"YYYY-MM-DD\" (got \"" + text + "\")");
}

analysis::Intervention read_intervention(const ConfigReader& reader, const toml::table& t,
                                         const std::string& where) {
  reader.expect_only(t, where, {"name", "date", "stations", "description"});
  analysis::Intervention intervention;
  intervention.name = reader.required_string(t, where, "name");
  reader.require_plain_name(where + ".name", intervention.name);
  if (const toml::node* date = t.get("date"); date != nullptr && date->is_date()) {
    // A bare TOML date (date = 2024-03-01) is as good as the quoted one.
    const toml::date day = date->as_date()->get();
    char text[16];
    std::snprintf(text, sizeof text, "%04u-%02u-%02u", static_cast<unsigned>(day.year),
                  static_cast<unsigned>(day.month), static_cast<unsigned>(day.day));
    intervention.date = read_date(reader, where + ".date", text);
  } else {
    intervention.date =
        read_date(reader, where + ".date", reader.required_string(t, where, "date"));
  }
  intervention.station_codes = reader.read_string_array(t, where, "stations");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < intervention.station_codes.size(); ++i) {
    const std::string& code = intervention.station_codes[i];
    const std::string key = where + ".stations[" + std::to_string(i) + "]";
    reader.require_plain_name(key, code);
    if (!seen.insert(code).second) reader.fail(key, "duplicate station \"" + code + "\"");
  }
  reader.read_string(t, where, "description", intervention.description);
  return intervention;
}

}  // namespace

void read_analysis(const ConfigReader& reader, const toml::table& root, Config& config) {
  if (const toml::table* t = reader.subtable(root, "", "analysis"))
    read_settings(reader, *t, config);
  std::set<std::string> names;
  reader.for_each_table_in_array(
      root, "interventions", [&](const toml::table& t, const std::string& where) {
        analysis::Intervention intervention = read_intervention(reader, t, where);
        if (!names.insert(intervention.name).second) {
          reader.fail(where + ".name", "duplicate intervention name \"" + intervention.name + "\"");
        }
        config.analysis_job.interventions.push_back(std::move(intervention));
      });
}

}  // namespace meteo::config_detail
