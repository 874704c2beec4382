// Rebuilds readings and aggregates of a window from the raw archive (sensor sources).
#include <spdlog/spdlog.h>

#include <memory>

#include "commands.hpp"
#include "manual.hpp"
#include "logging.hpp"
#include "meteo/errors.hpp"
#include "progress.hpp"
#include "replay_job.hpp"

namespace meteo {
namespace {

std::vector<const SourceConfig*> replay_sources(const Config& config,
                                                const std::vector<std::string>& names) {
  std::vector<const SourceConfig*> sources;
  for (const auto& name : names) {
    const SourceConfig& source = config.source(name);
    if (source.stations) {
      throw Error(ExitCode::usage, "source " + name +
                                       " is a station network: its portal keeps the history, "
                                       "re-read it with `meteo-etl backfill`");
    }
    sources.push_back(&source);
  }
  if (names.empty()) {
    for (const auto& source : config.sources) {
      if (!source.stations) sources.push_back(&source);
    }
  }
  if (sources.empty()) throw Error(ExitCode::config, "no sensor-api source configured");
  return sources;
}

int replay_window(CommandContext& context, const std::vector<const SourceConfig*>& sources,
                  const ReplayRequest& request) {
  Database db = Database::connect(context.config.database, &context.log);
  require_current_schema(db, bundled_migrations());
  const LogFields window = LogFields()
                               .add("from", to_iso8601(request.window.from))
                               .add("to", to_iso8601(request.window.to));
  // Stops at the first failure, whose line is the last and carries the exit code.
  for (const SourceConfig* source : sources) {
    try {
      replay_sensor_source(db, context.config, *source, request, context.log, context.out);
    } catch (const Error& error) {
      const int code = static_cast<int>(error.code());
      log_with(context.log, spdlog::level::err,
               LogFields().add("source", source->name).add(window).add("exit_code", code), "{}",
               error.what());
      return code;
    }
  }
  log_with(context.log, spdlog::level::info,
           LogFields(window).add("sources", sources.size()).add("exit_code", 0),
           "replay of [{}, {}) finished: {} source(s)", to_iso8601(request.window.from),
           to_iso8601(request.window.to), sources.size());
  return 0;
}

}  // namespace

CommandRegistration register_replay(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "replay", "re-load archived sensor payloads of a window (new rules, new region sets)");
  struct Options {
    std::string from, to;
    std::vector<std::string> sources;
    int jobs = 1;
    bool dry_run = false;
    std::string shard;
    std::string progress = "auto";
  };
  auto options = std::make_shared<Options>();
  app->add_option("--from", options->from, "first UTC hour, included (2026-11-01T00)")
      ->type_name("HOUR")
      ->required();
  app->add_option("--to", options->to,
                  "end UTC hour, exclusive: the window stops before it (2026-11-08T00)")
      ->type_name("HOUR")
      ->required();
  app->add_option("--source", options->sources,
                  "only this sensor source (repeatable); default: every sensor source")
      ->type_name("NAME");
  app->add_option("--jobs", options->jobs, "parallel workers (same result as one)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app->add_flag("--dry-run", options->dry_run, "list the archived payloads, change nothing");
  app->add_option("--shard", options->shard,
                  "load only the readings whose id hashes into shard K of N (as run)")
      ->type_name("K/N");
  set_examples(*app, {"meteo-etl replay --from 2026-11-01T00 --to 2026-11-08T00 --jobs 2",
                      "meteo-etl replay --from 2026-11-22T00 --to 2026-11-23T00 --dry-run"});
  app->add_option("--progress", options->progress,
                  "a progress bar: auto (text logs on a terminal), always or never")
      ->check(CLI::IsMember(progress_mode_names()))
      ->capture_default_str();
  return {app, [options](CommandContext& context) {
            const TimeWindow window = parse_window(options->from, options->to);
            const Shard shard = options->shard.empty() ? Shard{} : parse_shard(options->shard);
            ReplayRequest request{window, options->jobs, options->dry_run, shard};
            request.progress_bar =
                wants_progress_bar(parse_progress_mode(options->progress), context.log);
            return replay_window(context, replay_sources(context.config, options->sources),
                                 request);
          }};
}

}  // namespace meteo
