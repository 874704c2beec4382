// `meteo-etl ingest`: a local file loaded as the source's payload (pipeline::ingest_file).
#include <filesystem>
#include <memory>
#include <string>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/pipeline/ingest_job.hpp"
#include "meteo/store/migrations.hpp"

namespace meteo {

CommandRegistration register_ingest(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "ingest", "load a local file through the source's reader and load, as a fetched payload");
  struct Options {
    std::string source;
    std::string file;
    bool dry_run = false;
  };
  auto options = std::make_shared<Options>();
  app->add_option("--source", options->source, "the source whose payload the file is")
      ->type_name("NAME")
      ->required();
  app->add_option("--file", options->file, "the file, read as the source reads its payloads")
      ->type_name("PATH")
      ->required();
  app->add_flag("--dry-run", options->dry_run, "read and count the records, change nothing");
  set_examples(*app, {"meteo-etl ingest --source sensors --file sensors-2026-11-22T06.json",
                      "meteo-etl ingest --source sensors --file sensors-2026-11-22T06.json "
                      "--dry-run"});
  return {
      app, [options](CommandContext& context) {
        const SourceConfig& source = context.config.source(options->source);
        if (options->dry_run) {
          const RunCounts counts = pipeline::count_file(source, options->file, context.log);
          context.out << "source " << source.name
                      << ": file:" << std::filesystem::absolute(options->file).string() << ": "
                      << counts.fetched << " record(s), rejected " << counts.rejected
                      << ", duplicates " << counts.duplicates << " (dry run: nothing written)\n";
          return 0;
        }
        Database db = Database::connect(context.config.database, &context.log);
        require_current_schema(db, bundled_migrations());
        // A file's extension tells its format.
        pipeline::ingest_file(db, context.config, source, options->file, std::nullopt, context.log);
        return 0;
      }};
}

}  // namespace meteo
