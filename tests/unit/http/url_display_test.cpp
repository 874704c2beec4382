// displayable_url: what a URL looks like wherever it is shown (logs, etl_runs, status, messages).
#include <gtest/gtest.h>

#include "meteo/http/client.hpp"

namespace meteo {
namespace {

TEST(DisplayableUrl, MasksUserAndPassword) {
  EXPECT_EQ(displayable_url("https://user:pa55@feed.example/t?hour=6"),
            "https://***@feed.example/t?hour=6");
  EXPECT_EQ(displayable_url("http://user@feed.example:8080/t"), "http://***@feed.example:8080/t");
}

// Issue 15: an API key in the query string was logged and stored in etl_runs and `status --json`.
TEST(DisplayableUrl, MasksTheValueOfEveryParameterNamingACredential) {
  for (const char* name :
       {"key", "apikey", "api_key", "API-Key", "apiKey", "token", "access_token", "Access-Token",
        "secret", "client_secret", "password", "passwd", "signature", "X-Amz-Signature", "sig",
        "auth", "subscription-key", "api%5Fkey", "X-Amz-Credential"}) {
    const std::string url =
        std::string("https://feed.example/t?hour=6&") + name + "=s3cr%2Bt&limit=100";
    EXPECT_EQ(displayable_url(url),
              std::string("https://feed.example/t?hour=6&") + name + "=***&limit=100")
        << name;
  }
}

TEST(DisplayableUrl, LeavesOrdinaryParametersPathAndFragmentAlone) {
  const std::string url =
      "https://data.example/api/explore/v2.1/catalog/datasets/x/records?where=heure%3E%3D1&"
      "order_by=heure&limit=100&offset=0&keys=&flag#key=visible";
  EXPECT_EQ(displayable_url(url), url) << "nothing there is a credential (keys is empty)";
  EXPECT_EQ(displayable_url("https://h/key/token?monkeys=3"), "https://h/key/token?monkeys=3");
}

TEST(DisplayableUrl, MasksEveryCredentialOfOneUrl) {
  EXPECT_EQ(displayable_url("https://u:p@h/t?token=a&key=b&sig=c#f"),
            "https://***@h/t?token=***&key=***&sig=***#f");
  EXPECT_EQ(displayable_url("https://h/t?apikey=abc"), "https://h/t?apikey=***");
  EXPECT_EQ(displayable_url("https://h/t?apikey=abc&"), "https://h/t?apikey=***&");
}

TEST(DisplayableUrl, TextThatIsNotAUrlIsReturnedAsItIs) {
  EXPECT_EQ(displayable_url("source=s/date=2026-11-22/hour=06/x.json.gz"),
            "source=s/date=2026-11-22/hour=06/x.json.gz");
  EXPECT_EQ(displayable_url(""), "");
}

}  // namespace
}  // namespace meteo
