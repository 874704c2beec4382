#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/store/migrations.hpp"

namespace meteo {

CommandRegistration register_migrate(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("migrate", "apply pending schema migrations");
  set_examples(*app, {"meteo-etl --config /etc/meteo-etl/meteo-etl.toml migrate"});
  return {app, [](CommandContext& context) {
            Database db = Database::connect(context.config.database);
            const MigrationReport report = apply_migrations(db, bundled_migrations());
            for (const auto& name : report.applied) context.log.info("applied migration {}", name);
            context.log.info("schema at version {} ({} migration(s) applied now)",
                             report.schema_version, report.applied.size());
            return 0;
          }};
}

}  // namespace meteo
