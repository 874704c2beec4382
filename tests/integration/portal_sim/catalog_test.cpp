// The simulated catalogue: which datasets it serves, in which order, and the portal's answers
// to a listing, a lookup and a bad page size.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "paths.hpp"
#include "portal_client.hpp"
#include "portal_sim.hpp"

namespace meteo::testing {
namespace {

using portal::get;
using portal::kCatalog;
using portal::ordered_json;

std::vector<std::string> dataset_ids(const ordered_json& listing) {
  std::vector<std::string> ids;
  for (const auto& dataset : listing.at("results")) ids.push_back(dataset.at("dataset_id"));
  return ids;
}

std::vector<std::string> field_names(const ordered_json& dataset) {
  std::vector<std::string> names;
  for (const auto& field : dataset.at("fields")) names.push_back(field.at("name"));
  return names;
}

bool has_field(const ordered_json& dataset, const std::string& name) {
  const auto names = field_names(dataset);
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(PortalSimCatalog, ListsTheFirstDatasetsInCatalogueOrderThenTheStationList) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim portal;  // 4 datasets, odd schemas included: the catalogue's first four entries
  const auto answer = get(portal.base_url(), std::string(kCatalog) + "?limit=100");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto listing = answer.json();
  EXPECT_EQ(listing.at("total_count"), 5);
  EXPECT_EQ(dataset_ids(listing),
            (std::vector<std::string>{
                "01-station-meteo-toulouse-meteopole", "51-station-meteo-toulouse-lardenne",
                "38-station-meteo-toulouse-parc-jardin-des-plantes",
                "06-station-meteo-toulouse-ecluse", "stations-meteo-en-place"}));
  const auto& results = listing.at("results");
  EXPECT_TRUE(has_field(results[0], "heure_de_paris"));
  EXPECT_FALSE(has_field(results[2], "heure_de_paris")) << "38 has the odd schema";
  EXPECT_EQ(results[0].at("metas").at("default").at("title"),
            "01 Station météo Toulouse Météopole");
  EXPECT_GT(results[0].at("metas").at("default").at("records_count").get<int>(), 200);
}

TEST(PortalSimCatalog, OddSchemasCanBeLeftOutWithoutShrinkingTheCount) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSimOptions options;
  options.include_odd_schema = false;
  PortalSim portal(options);
  const auto listing = get(portal.base_url(), std::string(kCatalog) + "?limit=100").json();
  EXPECT_EQ(dataset_ids(listing),
            (std::vector<std::string>{
                "01-station-meteo-toulouse-meteopole", "51-station-meteo-toulouse-lardenne",
                "04-station-meteo-toulouse-ile-empalot",
                "41-station-meteo-toulouse-avenue-de-casselardit", "stations-meteo-en-place"}));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(has_field(listing["results"][i], "heure_de_paris"));
}

TEST(PortalSimCatalog, ServesTheWholeCatalogueWhenAskedForAll) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSimOptions options;
  options.datasets = 0;
  PortalSim portal(options);
  const auto first = get(portal.base_url(), std::string(kCatalog) + "?limit=100").json();
  EXPECT_EQ(first.at("total_count"), 50);  // 49 measurement datasets and the station list
  EXPECT_EQ(first.at("results").size(), 50u);

  // The default page is 10; paging by offset walks the same list.
  const auto page = get(portal.base_url(), std::string(kCatalog) + "?offset=40").json();
  ASSERT_EQ(page.at("results").size(), 10u);
  EXPECT_EQ(page["results"][0].at("dataset_id"), first["results"][40].at("dataset_id"));

  options.include_odd_schema = false;
  PortalSim standard_only(options);
  EXPECT_EQ(get(standard_only.base_url(), kCatalog).json().at("total_count"), 46);
}

TEST(PortalSimCatalog, LikeAndSearchFilterOnTheDatasetId) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim portal;
  const auto like = get(portal.base_url(), std::string(kCatalog) + "?limit=100&where=" +
                                               portal::encode(R"(dataset_id like "station-meteo")"))
                        .json();
  EXPECT_EQ(like.at("total_count"), 4);  // "stations-meteo-en-place" does not contain it
  const auto search =
      get(portal.base_url(),
          std::string(kCatalog) + "?where=" + portal::encode(R"(search("lardenne"))"))
          .json();
  EXPECT_EQ(dataset_ids(search), std::vector<std::string>{"51-station-meteo-toulouse-lardenne"});
}

TEST(PortalSimCatalog, RejectsPagesAboveOneHundredLikeThePortal) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim portal;
  const auto answer = get(portal.base_url(), std::string(kCatalog) + "?limit=101");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.json().at("error_code"), "InvalidRESTParameterError");
  EXPECT_NE(answer.json().at("message").get<std::string>().find("limit"), std::string::npos);
}

TEST(PortalSimCatalog, DescribesOneDatasetAndAnswers404ForUnknownIds) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  PortalSim portal;
  const auto meteopole = get(portal.base_url(), portal::dataset_path(portal::kMeteopole, ""));
  ASSERT_EQ(meteopole.status, 200) << meteopole.body;
  EXPECT_EQ(meteopole.json().at("dataset_id"), portal::kMeteopole);
  EXPECT_EQ(field_names(meteopole.json()),
            (std::vector<std::string>{
                "data", "id", "humidite", "direction_du_vecteur_de_vent_max", "pluie_intensite_max",
                "pression", "direction_du_vecteur_vent_moyen", "type_de_station", "pluie",
                "direction_du_vecteur_de_vent_max_en_degres", "force_moyenne_du_vecteur_vent",
                "force_rafale_max", "temperature_en_degre_c", "heure_de_paris", "heure_utc"}));

  const auto stations = get(portal.base_url(), portal::dataset_path(portal::kStationsDataset, ""));
  ASSERT_EQ(stations.status, 200);
  for (const char* name :
       {"longitude", "latitude", "altitude", "id_nom", "id_numero", "type_stati", "ville"}) {
    EXPECT_TRUE(has_field(stations.json(), name)) << name;
  }

  const auto unknown = get(portal.base_url(), portal::dataset_path("no-such-dataset", ""));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(unknown.json().contains("error_code"));
  const auto unknown_records =
      get(portal.base_url(), portal::dataset_path("no-such-dataset", "records"));
  EXPECT_EQ(unknown_records.status, 404);
}

}  // namespace
}  // namespace meteo::testing
