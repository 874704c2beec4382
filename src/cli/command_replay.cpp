// Rebuilds readings and aggregates of a window from the raw archive (sensor sources).
#include <memory>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/pipeline/replay_job.hpp"
#include "meteo/store/migrations.hpp"
#include "progress.hpp"
#include "window_command.hpp"

namespace meteo {
namespace {

std::vector<const SourceConfig*> replay_sources(const Config& config,
                                                const std::vector<std::string>& names) {
  std::vector<const SourceConfig*> sources;
  for (const auto& name : names) {
    const SourceConfig& source = config.source(name);
    pipeline::require_replayable(source);
    sources.push_back(&source);
  }
  if (names.empty()) {
    for (const auto& source : config.sources) {
      if (pipeline::replayable(source)) sources.push_back(&source);
    }
  }
  if (sources.empty()) throw Error(ExitCode::config, "no sensor-api source configured");
  return sources;
}

// Stops at the first failure, whose line is the last and carries the exit code.
int replay_window(CommandContext& context, const std::vector<const SourceConfig*>& sources,
                  const pipeline::ReplayRequest& request) {
  Database db = Database::connect(context.config.database, &context.log);
  require_current_schema(db, bundled_migrations());
  return load_each_source(
      context.log, "replay", request.window, sources, [&](const SourceConfig& source) {
        pipeline::replay_source(db, context.config, source, request, context.log, context.out);
      });
}

}  // namespace

CommandRegistration register_replay(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "replay", "re-load archived sensor payloads of a window (new rules, new region sets)");
  struct Options : WindowOptions {
    std::vector<std::string> sources;
    int jobs = 1;
    bool dry_run = false;
    std::string shard;
  };
  auto options = std::make_shared<Options>();
  add_window_options(*app, *options);
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
  add_progress_option(*app, *options);
  return {app, [options](CommandContext& context) {
            const TimeWindow window = options->window();
            const Shard shard = options->shard.empty() ? Shard{} : parse_shard(options->shard);
            pipeline::ReplayRequest request{window, options->jobs, options->dry_run, shard};
            request.progress = progress_reporter(context.log, options->progress_bar(context.log));
            return replay_window(context, replay_sources(context.config, options->sources),
                                 request);
          }};
}

}  // namespace meteo
