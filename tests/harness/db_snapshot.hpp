// Whole-table contents as text, to prove that a failed run changed nothing.
#pragma once

#include <string>
#include <vector>

#include "meteo/store/database.hpp"

namespace meteo::testing {

// Every row of `table`, every column, ordered by all columns; one line per row.
std::string table_contents(Database& db, const std::string& table);

// Every row of a query, tab-separated, one line per row (order it in the query).
std::string query_contents(Database& db, const std::string& select);

// What the data means, without the bookkeeping that legitimately differs between two histories
// reaching the same data (run ids, fetch times, row ids, write times): readings, their regions,
// rejects and aggregates. Equal strings mean the same product.
std::string product_contents(Database& db);

// The weather stations of every source and their regions, clocks aside.
std::string station_contents(Database& db);

// What a station network's load stores, run ids and clocks aside: the stations and their regions,
// the observations, hourly weather, region temperatures, rejects and datasets.
std::string station_network_contents(Database& db);

// Row count and content hash of each table a run writes (readings, matches, rejects,
// aggregates, regions): equal strings mean equal contents.
std::string data_tables_contents(Database& db);

// Deletes every sensor-feed row and the run ledger, keeping the regions: the state of a site
// that must rebuild its data from saved payloads alone.
void forget_everything_but_regions(Database& db);
// The same, the station networks' rows (stations, observations, aggregates, alerts) forgotten too.
void forget_station_networks_and_everything_but_regions(Database& db);

// A single value from a query (first column of the first row), "NULL" for SQL NULL.
std::string query_value(Database& db, const std::string& sql);

// How many rows a query returns.
std::size_t count_rows(Database& db, const std::string& table, const std::string& where = "1=1");

}  // namespace meteo::testing
