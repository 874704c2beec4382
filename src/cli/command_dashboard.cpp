// `meteo-etl dashboard`: writes the static site a web server (or a file:// browser) shows.
#include <spdlog/spdlog.h>

#include <memory>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "meteo/store/migrations.hpp"

namespace meteo {

CommandRegistration register_dashboard(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "dashboard", "write the static dashboard (page and data files) into a directory");
  auto out = std::make_shared<std::string>();
  app->add_option("--out", *out, "the site's directory; default: [dashboard] out")
      ->type_name("DIR");
  set_examples(*app, {"meteo-etl dashboard", "meteo-etl dashboard --out /var/www/meteo"});
  return {
      app, [out](CommandContext& context) {
        // Checked before connecting: a usage mistake needs no database to be reported.
        const dashboard::DashboardInputs inputs = pipeline::dashboard_inputs(context.config);
        const dashboard::DashboardSettings settings = dashboard::dashboard_settings(inputs, *out);
        Database db = Database::connect(context.config.database);
        require_current_schema(db, bundled_migrations());
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        const dashboard::DashboardReport report =
            dashboard::write_dashboard(db, inputs, settings, now, context.log);
        context.out << "dashboard written to " << settings.out.string() << " (" << report.data_files
                    << " data files, " << report.page_files << " page files)\n";
        return 0;
      }};
}

}  // namespace meteo
