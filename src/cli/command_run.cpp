// `meteo-etl run`: the hourly job (pipeline::run_sources) over the sources and hour asked for.
#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/log_fields.hpp"
#include "meteo/core/time.hpp"
#include "meteo/pipeline/run.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "meteo/store/migrations.hpp"

namespace meteo {
namespace {

// The run's last line: how many sources failed, and the exit code (the first failure's).
int log_run_end(spdlog::logger& log, const std::vector<pipeline::SourceRunOutcome>& outcomes,
                UtcSeconds hour) {
  std::size_t failed = 0;
  int exit_code = 0;
  for (const auto& outcome : outcomes) {
    if (outcome.exit_code == 0) continue;
    ++failed;
    if (exit_code == 0) exit_code = outcome.exit_code;
  }
  const LogFields fields = LogFields()
                               .add("hour", to_iso8601(hour))
                               .add("sources", outcomes.size())
                               .add("failed_sources", failed)
                               .add("exit_code", exit_code);
  if (failed == 0) {
    log_with(log, spdlog::level::info, fields, "run of hour {} finished: {} source(s) succeeded",
             to_iso8601(hour), outcomes.size());
  } else {
    log_with(log, spdlog::level::err, fields,
             "run of hour {} finished: {} of {} source(s) failed, exit code {}", to_iso8601(hour),
             failed, outcomes.size(), exit_code);
  }
  return exit_code;
}

}  // namespace

CommandRegistration register_run(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("run", "the hourly job: fetch, match, aggregate, load");
  struct Options {
    std::string hour;
    std::vector<std::string> sources;
    std::string shard;
  };
  auto options = std::make_shared<Options>();
  app->add_option("--hour", options->hour,
                  "stamp the run with this UTC hour (2026-11-22T06); default: the current hour")
      ->type_name("HOUR");
  app->add_option("--source", options->sources, "run only this source (repeatable); default: all")
      ->type_name("NAME");
  app->add_option("--shard", options->shard,
                  "load only the sensor readings whose id hashes into shard K of N "
                  "(FNV-1a 64 of the id, mod N); N workers, one per K, load the whole feed")
      ->type_name("K/N");
  set_examples(*app, {"meteo-etl run --log-format json", "meteo-etl run --hour 2026-11-22T06",
                      "meteo-etl run --source sensors --shard 1/4"});
  return {app, [options](CommandContext& context) {
            const UtcSeconds hour = options->hour.empty()
                                        ? floor_to_hour(std::chrono::system_clock::now())
                                        : parse_hour(options->hour);
            const Shard shard = options->shard.empty() ? Shard{} : parse_shard(options->shard);
            std::vector<const SourceConfig*> sources;
            for (const auto& name : options->sources)
              sources.push_back(&context.config.source(name));
            if (options->sources.empty()) {
              for (const auto& source : context.config.sources) sources.push_back(&source);
            }
            if (sources.empty()) throw Error(ExitCode::config, "no [[sources]] configured");
            for (const SourceConfig* source : sources) {
              if (!shard.whole() && source->stations) {
                throw Error(ExitCode::usage,
                            "--shard splits a sensor feed; source " + source->name +
                                " is a station network: name the sensor sources with --source");
              }
            }

            Database db = Database::connect(context.config.database, &context.log);
            require_current_schema(db, bundled_migrations());
            const auto outcomes = pipeline::run_sources(
                db, context.config, {hour, shard, std::move(sources)}, context.log, context.out);
            return log_run_end(context.log, outcomes, hour);
          }};
}

}  // namespace meteo
