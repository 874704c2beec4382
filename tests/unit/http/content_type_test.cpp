// Which Content-Types a JSON caller takes: JSON media types and the ones that say nothing.
#include <gtest/gtest.h>

#include "meteo/http/client.hpp"

namespace meteo {
namespace {

TEST(AcceptsContentType, JsonTakesJsonMediaTypesWhateverTheParametersOrCase) {
  for (const char* type :
       {"application/json", "application/json; charset=utf-8", " Application/JSON ;charset=UTF-8",
        "text/json", "application/x-json", "application/geo+json", "application/vnd.api+json"}) {
    EXPECT_TRUE(accepts_content_type(AcceptedContent::json, type)) << type;
  }
}

TEST(AcceptsContentType, JsonTakesTypesThatSayNothingAndLeavesThemToTheParser) {
  for (const char* type :
       {"", "text/plain", "text/plain; charset=utf-8", "application/octet-stream"}) {
    EXPECT_TRUE(accepts_content_type(AcceptedContent::json, type)) << '"' << type << '"';
  }
}

TEST(AcceptsContentType, JsonRefusesErrorPagesAndOtherFormats) {
  for (const char* type : {"text/html", "text/html; charset=utf-8", "TEXT/HTML",
                           "application/xhtml+xml", "application/xml", "text/xml", "text/csv",
                           "image/png", "application/jsonp", "text/json-seq"}) {
    EXPECT_FALSE(accepts_content_type(AcceptedContent::json, type)) << type;
  }
}

TEST(AcceptsContentType, AnyTakesEverything) {
  EXPECT_TRUE(accepts_content_type(AcceptedContent::any, "text/html"));
  EXPECT_TRUE(accepts_content_type(AcceptedContent::any, ""));
}

}  // namespace
}  // namespace meteo
