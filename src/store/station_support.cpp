#include "station_support.hpp"

#include <algorithm>

#include "meteo/store/reports.hpp"

namespace meteo::store {

std::string dataset_key(std::string_view dataset_id) {
  std::string key(dataset_id);
  // ASCII only: the portal's ids are slugs, and a locale must not change what is stored.
  std::transform(key.begin(), key.end(), key.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return key;
}

std::string station_name_column(sql::Connection& connection, const std::string& table_alias) {
  return column_exists(connection, "weather_stations", "name") ? table_alias + ".name" : "NULL";
}

void bind_measurement(Binder& binder, const std::optional<double>& value) {
  // Binder has no nullable double: a NULL parameter is untyped anyway.
  if (value) {
    binder.real(*value);
  } else {
    binder.optional_text(std::nullopt);
  }
}

void bind_optional_datetime(Binder& binder, const std::optional<UtcSeconds>& value) {
  if (value) {
    binder.datetime(*value);
  } else {
    binder.optional_text(std::nullopt);
  }
}

std::optional<UtcSeconds> optional_datetime(const sql::ResultSet& row, unsigned column) {
  const auto value = optional_text(row, column);
  if (!value) return std::nullopt;
  return parse_sql_datetime(*value);
}

std::vector<DatasetState> read_dataset_states(sql::Connection& connection) {
  auto statement = prepare(connection,
                           "SELECT source, dataset_id, status, reason, CAST(read_through AS CHAR),"
                           " CAST(newest_observation AS CHAR) FROM station_datasets"
                           " ORDER BY source, dataset_id");
  auto row = run_query(*statement);
  std::vector<DatasetState> states;
  while (row->next()) {
    states.push_back({text(*row, 1), text(*row, 2), text(*row, 3),
                      optional_text(*row, 4).value_or(""), optional_datetime(*row, 5),
                      optional_datetime(*row, 6)});
  }
  return states;
}

}  // namespace meteo::store
