#include "arcgis_server.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "where_clause.hpp"

namespace arcgis_sim {
namespace {

using ordered_json = nlohmann::ordered_json;

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr int kWgs84 = 4326;

// An ArcGIS error: sent as {"error": {...}} inside an HTTP 200, as ArcGIS Server does.
class ArcGisError : public std::runtime_error {
 public:
  ArcGisError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

ordered_json error_body(int code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}, {"details", ordered_json::array()}}}};
}

void send_json(httplib::Response& res, int status, const ordered_json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<std::string> parameter(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

// A non-negative integer parameter, or `fallback` when absent.
long long count_parameter(const httplib::Request& req, const char* name, long long fallback) {
  const auto text = parameter(req, name);
  if (!text) return fallback;
  std::size_t used = 0;
  long long value = -1;
  try {
    value = std::stoll(*text, &used);
  } catch (const std::logic_error&) {
    used = 0;
  }
  if (used == 0 || used != text->size() || value < 0) {
    throw ArcGisError(400, std::string("'") + name + "' must be a non-negative integer");
  }
  return value;
}

void require_parameter(const httplib::Request& req, const char* name, const std::string& only) {
  const auto value = parameter(req, name);
  if (!value || lower_case(*value) != lower_case(only)) {
    throw ArcGisError(400, std::string("meteo-arcgis-sim supports only ") + name + "=" + only);
  }
}

const char* esri_type(FieldType type) {
  switch (type) {
    case FieldType::text:
      return "esriFieldTypeString";
    case FieldType::integer:
      return "esriFieldTypeInteger";
    case FieldType::real:
      return "esriFieldTypeDouble";
    case FieldType::date:
      return "esriFieldTypeDate";
    case FieldType::object_id:
      return "esriFieldTypeOID";
  }
  return "esriFieldTypeString";
}

ordered_json fields_json(const FeatureTable& table) {
  ordered_json fields = ordered_json::array();
  for (const auto& field : table.fields()) {
    ordered_json description{
        {"name", field.name}, {"type", esri_type(field.type)}, {"alias", field.name}};
    if (field.type == FieldType::text) description["length"] = 256;
    fields.push_back(std::move(description));
  }
  return fields;
}

// Whole numbers stay integers in the JSON; anything else is a double.
ordered_json number_json(const std::string& text) {
  std::size_t used = 0;
  try {
    const long long whole = std::stoll(text, &used);
    if (used == text.size()) return whole;
  } catch (const std::logic_error&) {
  }
  return std::stod(text);
}

ordered_json attribute_json(const std::string& value, FieldType type) {
  switch (type) {
    case FieldType::text:
      return value;
    case FieldType::integer:
    case FieldType::object_id:
      return number_json(value);
    case FieldType::real:
      return std::stod(value);
    case FieldType::date:
      return parse_iso8601_utc(value).value_or(0);
  }
  return value;
}

ordered_json feature_json(const Feature& feature, const FeatureTable& table) {
  ordered_json attributes = ordered_json::object();
  for (std::size_t i = 0; i < table.fields().size(); ++i) {
    const Field& field = table.fields()[i];
    attributes[field.name] = attribute_json(feature.values[i], field.type);
  }
  return {{"attributes", std::move(attributes)},
          {"geometry", {{"x", std::stod(feature.x)}, {"y", std::stod(feature.y)}}}};
}

// Runs a handler, turning a refusal into the ArcGIS error answer.
void answer(RequestCounters& counters, httplib::Response& res,
            const std::function<void()>& handler) {
  try {
    handler();
  } catch (const ArcGisError& error) {
    ++counters.errors;
    send_json(res, 200, error_body(error.code(), error.what()));
  } catch (const WhereError& error) {
    ++counters.errors;
    send_json(res, 200, error_body(400, std::string("Invalid 'where': ") + error.what()));
  }
}

}  // namespace

LayerVersion::LayerVersion(FeatureTable features) : table(std::move(features)) {
  const auto& rows = table.features();
  for (std::size_t i = 0; i < rows.size(); ++i) by_object_id.push_back(i);
  const std::size_t id = table.object_id_field();
  std::sort(by_object_id.begin(), by_object_id.end(), [&](std::size_t a, std::size_t b) {
    return std::stoll(rows[a].values[id]) < std::stoll(rows[b].values[id]);
  });
}

ArcGisServer::ArcGisServer(FeatureTable table, ServerOptions options)
    : options_(std::move(options)), original_(std::move(table)) {
  if (options_.rewrite_after_first_page) rewritten_.emplace(original_.table.rewritten());
  install_routes();
}

const LayerVersion& ArcGisServer::current() const {
  return rewrite_done_ && rewritten_ ? *rewritten_ : original_;
}

void ArcGisServer::install_routes() {
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return before_routing(req, res);
  });
  server_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server_.Get("/stats", [this](const httplib::Request&, httplib::Response& res) { stats(res); });
  server_.Get(R"(/arcgis/rest/services/([^/]+)/FeatureServer/0/?)",
              [this](const httplib::Request& req, httplib::Response& res) {
                answer(counters_, res, [&] { describe_layer(req, res); });
              });
  server_.Get(R"(/arcgis/rest/services/([^/]+)/FeatureServer/0/query/?)",
              [this](const httplib::Request& req, httplib::Response& res) {
                answer(counters_, res, [&] { query(req, res); });
              });
  server_.Get(R"(.*)", [](const httplib::Request& req, httplib::Response& res) {
    send_json(res, 404, error_body(404, "No such resource: " + req.path));
  });
  server_.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    std::fprintf(stderr, "arcgis-sim: %s %s -> %d (%zu bytes)\n", req.method.c_str(),
                 req.target.empty() ? req.path.c_str() : req.target.c_str(), res.status,
                 res.body.size());
  });
}

httplib::Server::HandlerResponse ArcGisServer::before_routing(const httplib::Request& req,
                                                              httplib::Response& res) {
  if (req.path == "/stats" || req.path == "/healthz") {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  if (++counters_.all > options_.rate_limit_first) {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  ++counters_.rate_limited;
  res.set_header("Retry-After", std::to_string(options_.retry_after_seconds));
  send_json(res, 429,
            error_body(429, "Too many requests. Retry after " +
                                std::to_string(options_.retry_after_seconds) + " s."));
  return httplib::Server::HandlerResponse::Handled;
}

void ArcGisServer::describe_layer(const httplib::Request& req, httplib::Response& res) {
  if (req.matches[1].str() != options_.service) {
    throw ArcGisError(404, "Service not found: " + req.matches[1].str());
  }
  require_parameter(req, "f", "json");
  const FeatureTable& table = current().table;
  send_json(
      res, 200,
      ordered_json{{"currentVersion", 10.91},
                   {"id", 0},
                   {"name", options_.service},
                   {"type", "Feature Layer"},
                   {"geometryType", "esriGeometryPoint"},
                   {"objectIdField", table.fields()[table.object_id_field()].name},
                   {"maxRecordCount", options_.max_record_count},
                   {"supportedQueryFormats", "JSON"},
                   {"capabilities", "Query"},
                   {"advancedQueryCapabilities",
                    {{"supportsPagination", options_.pagination}, {"supportsOrderBy", true}}},
                   {"extent", {{"spatialReference", {{"wkid", kWgs84}, {"latestWkid", kWgs84}}}}},
                   {"editingInfo", {{"lastEditDate", table.last_edit()}}},
                   {"fields", fields_json(table)}});
}

void ArcGisServer::query(const httplib::Request& req, httplib::Response& res) {
  if (req.matches[1].str() != options_.service) {
    throw ArcGisError(404, "Service not found: " + req.matches[1].str());
  }
  require_parameter(req, "f", "json");
  const auto where_text = parameter(req, "where");
  if (!where_text) throw ArcGisError(400, "'where' parameter is required");
  const LayerVersion& layer = current();  // one version for the whole answer
  const WhereClause where = WhereClause::parse(*where_text, layer.table);
  std::vector<const Feature*> matches;
  for (const std::size_t row : layer.by_object_id) {
    const Feature& feature = layer.table.features()[row];
    if (where.accepts(feature)) matches.push_back(&feature);
  }
  if (lower_case(parameter(req, "returnCountOnly").value_or("false")) == "true") {
    ++counters_.counts;
    send_json(res, 200, ordered_json{{"count", matches.size()}});
    return;
  }
  send_page(req, layer, matches, res);
}

void ArcGisServer::send_page(const httplib::Request& req, const LayerVersion& layer,
                             const std::vector<const Feature*>& matches, httplib::Response& res) {
  const FeatureTable& table = layer.table;
  require_parameter(req, "outFields", "*");
  require_parameter(req, "outSR", std::to_string(kWgs84));
  require_parameter(req, "orderByFields", "ObjectId ASC");
  if (!options_.pagination &&
      (req.has_param("resultOffset") || req.has_param("resultRecordCount"))) {
    throw ArcGisError(400, "This layer does not support pagination");
  }
  const long long offset = count_parameter(req, "resultOffset", 0);
  // ArcGIS never answers more than maxRecordCount, whatever was asked.
  const long long asked = count_parameter(req, "resultRecordCount", options_.max_record_count);
  const long long limit = std::min<long long>(asked == 0 ? options_.max_record_count : asked,
                                              options_.max_record_count);
  if (injected_error_due(offset)) {
    throw ArcGisError(options_.error_code,
                      "Injected failure at resultOffset " + std::to_string(offset));
  }
  ++counters_.pages;
  const auto total = static_cast<long long>(matches.size());
  const long long begin = std::min(offset, total);
  const long long end = std::min(total, begin + limit);
  ordered_json features = ordered_json::array();
  for (long long i = begin; i < end; ++i) features.push_back(feature_json(*matches[i], table));
  send_json(res, 200,
            ordered_json{{"objectIdFieldName", table.fields()[table.object_id_field()].name},
                         {"geometryType", "esriGeometryPoint"},
                         {"spatialReference", {{"wkid", kWgs84}, {"latestWkid", kWgs84}}},
                         {"fields", fields_json(table)},
                         {"exceededTransferLimit", end < total},
                         {"features", std::move(features)}});
  if (options_.rewrite_after_first_page) rewrite_done_ = true;
}

// True the first time a page at --error-at-offset is asked for, never again.
bool ArcGisServer::injected_error_due(long long offset) {
  if (options_.error_at_offset < 0 || offset != options_.error_at_offset) return false;
  bool expected = false;
  return error_injected_.compare_exchange_strong(expected, true);
}

void ArcGisServer::stats(httplib::Response& res) const {
  send_json(res, 200,
            ordered_json{{"all", counters_.all.load()},
                         {"pages", counters_.pages.load()},
                         {"counts", counters_.counts.load()},
                         {"errors", counters_.errors.load()},
                         {"rate_limited", counters_.rate_limited.load()}});
}

}  // namespace arcgis_sim
