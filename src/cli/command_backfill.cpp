// Fills a past window: station portals keep history; the sensor feed only ever serves "now", so
// its past is the raw archive.
#include <memory>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/pipeline/source_run.hpp"
#include "meteo/store/migrations.hpp"
#include "progress.hpp"
#include "window_command.hpp"

namespace meteo {
namespace {

struct BackfillOptions : WindowOptions {
  std::vector<std::string> sources;
  bool dry_run = false;
};

// Named sources, or every source when none is named.
std::vector<const SourceConfig*> backfill_sources(const Config& config,
                                                  const BackfillOptions& options) {
  std::vector<const SourceConfig*> sources;
  for (const auto& name : options.sources) sources.push_back(&config.source(name));
  if (options.sources.empty()) {
    for (const auto& source : config.sources) sources.push_back(&source);
  }
  if (sources.empty()) throw Error(ExitCode::config, "no [[sources]] configured");
  return sources;
}

// Stops at the first failure, whose line is the last and carries the exit code.
int backfill(Database& db, CommandContext& context, const std::vector<const SourceConfig*>& sources,
             const pipeline::SourceJob& job) {
  return load_each_source(
      context.log, "backfill", *job.window, sources, [&](const SourceConfig& source) {
        pipeline::backfill_source(db, context.config, source, job, context.log, context.out);
      });
}

}  // namespace

CommandRegistration register_backfill(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "backfill",
      "fill a past window: station networks are re-read from their portal, sensor feeds (which "
      "serve only the present) are replayed from the raw archive");
  auto options = std::make_shared<BackfillOptions>();
  add_window_options(*app, *options);
  app->add_option("--source", options->sources, "only this source (repeatable); default: all")
      ->type_name("NAME");
  app->add_flag("--dry-run", options->dry_run, "print the plan (datasets, windows, requests)");
  set_examples(*app,
               {"meteo-etl backfill --from 2026-11-01T00 --to 2026-11-08T00",
                "meteo-etl backfill --from 2026-11-01T00 --to 2026-11-02T00 --source toulouse "
                "--dry-run"});
  add_progress_option(*app, *options);
  return {app, [options](CommandContext& context) {
            const TimeWindow window = options->window();
            const auto sources = backfill_sources(context.config, *options);
            const auto now =
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            const pipeline::SourceJob job{
                now,     floor_to_hour(now),
                window,  options->dry_run,
                Shard{}, progress_reporter(context.log, options->progress_bar(context.log))};
            Database db = Database::connect(context.config.database, &context.log);
            require_current_schema(db, bundled_migrations());
            return backfill(db, context, sources, job);
          }};
}

}  // namespace meteo
