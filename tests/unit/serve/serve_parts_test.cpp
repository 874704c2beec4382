// The pure parts of `serve`: listen addresses, the request path's mapping into the site, the
// bearer token check, the event buffer with Last-Event-ID, and the per-client queues.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "meteo/core/errors.hpp"
#include "meteo/serve/bearer_token.hpp"
#include "meteo/serve/events.hpp"
#include "meteo/serve/ingest_format.hpp"
#include "meteo/serve/listen_address.hpp"
#include "meteo/serve/site_files.hpp"

namespace meteo::serve {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(IngestFormat, TheContentTypeNamesAStationFilesFormat) {
  using sources::FileFormat;
  EXPECT_EQ(file_format_of_content_type("application/json"), FileFormat::json);
  EXPECT_EQ(file_format_of_content_type("Application/JSON; charset=utf-8"), FileFormat::json);
  EXPECT_EQ(file_format_of_content_type("application/x-ndjson"), FileFormat::json_lines);
  EXPECT_EQ(file_format_of_content_type(" application/jsonl ;charset=UTF-8"),
            FileFormat::json_lines);
  EXPECT_EQ(file_format_of_content_type("text/csv; header=present"), FileFormat::csv);
  for (const char* other : {"", "text/plain", "application/x-www-form-urlencoded",
                            "multipart/form-data; boundary=x", "application/jsonx", "text/csvx"}) {
    EXPECT_EQ(file_format_of_content_type(other), std::nullopt) << other;
  }
}

TEST(IngestFormat, TheRefusalNamesWhatWasSentAndWhatIsTaken) {
  const std::string sent = unsupported_content_type_message("synop-france", "text/plain");
  EXPECT_NE(sent.find("synop-france"), std::string::npos) << sent;
  EXPECT_NE(sent.find("got \"text/plain\""), std::string::npos) << sent;
  for (const char* taken :
       {"application/json", "application/x-ndjson", "application/jsonl", "text/csv"}) {
    EXPECT_NE(sent.find(taken), std::string::npos) << taken;
  }
  EXPECT_NE(unsupported_content_type_message("synop-france", "").find("got none"),
            std::string::npos);
}

TEST(ListenAddress, ParsesHostAndPort) {
  const ListenAddress v4 = parse_listen_address("127.0.0.1:8080");
  EXPECT_EQ(v4.host, "127.0.0.1");
  EXPECT_EQ(v4.port, 8080);
  const ListenAddress v6 = parse_listen_address("[::1]:0");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 0);
  EXPECT_EQ(parse_listen_address("localhost:80").host, "localhost");
}

TEST(ListenAddress, RefusesWhatIsNotHostColonPort) {
  for (const char* bad : {"8080", "127.0.0.1", ":8080", "127.0.0.1:", "127.0.0.1:65536",
                          "127.0.0.1:-1", "127.0.0.1:80x", "::1:8080"}) {
    try {
      parse_listen_address(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::usage) << bad;
      EXPECT_NE(std::string(error.what()).find(bad), std::string::npos) << error.what();
    }
  }
}

TEST(ListenAddress, KnowsLoopback) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_FALSE(is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(is_loopback_host("192.168.1.10"));
  EXPECT_FALSE(is_loopback_host("::"));
}

TEST(SitePath, MapsTheRootAndPlainPaths) {
  EXPECT_EQ(site_relative_path("/"), "index.html");
  EXPECT_EQ(site_relative_path("/data/meta.json"), "data/meta.json");
  EXPECT_EQ(site_relative_path("/assets/app.js"), "assets/app.js");
}

TEST(SitePath, RefusesEveryWayOut) {
  for (const std::string& bad : std::vector<std::string>{
           "", "data/meta.json", "/..", "/../etc/passwd", "/data/../../etc/passwd", "//etc/passwd",
           "/data//meta.json", "/./index.html", "/.git/config", "/data/.meteo.toml", "/data/",
           "/data\\..\\x", "/%2e%2e/etc/passwd", std::string("/index.html\0.x", 14)}) {
    EXPECT_FALSE(site_relative_path(bad)) << bad;
  }
}

class SiteDirectory : public ::testing::Test {
 protected:
  SiteDirectory() {
    root_ = fs::temp_directory_path() /
            ("meteo-serve-unit-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "site" / "data");
    std::ofstream(root_ / "site" / "index.html") << "<html></html>";
    std::ofstream(root_ / "site" / "data" / "meta.json") << "{}";
    std::ofstream(root_ / "secret.toml") << "password = 1";
  }
  ~SiteDirectory() override { fs::remove_all(root_); }
  fs::path site() const { return root_ / "site"; }
  fs::path root_;
};

TEST_F(SiteDirectory, ResolvesFilesInsideOnly) {
  EXPECT_EQ(resolve_in_site(site(), "index.html"), fs::canonical(site() / "index.html"));
  EXPECT_EQ(resolve_in_site(site(), "data/meta.json"),
            fs::canonical(site() / "data" / "meta.json"));
  EXPECT_FALSE(resolve_in_site(site(), "missing.json"));
  EXPECT_FALSE(resolve_in_site(site(), "data")) << "a directory is not served";
  EXPECT_FALSE(resolve_in_site(site(), "../secret.toml"));
}

TEST_F(SiteDirectory, RefusesSymlinksLeadingOut) {
  fs::create_symlink(root_ / "secret.toml", site() / "data" / "leak.json");
  fs::create_directory_symlink(root_, site() / "up");
  fs::create_symlink(site() / "index.html", site() / "home.html");
  EXPECT_FALSE(resolve_in_site(site(), "data/leak.json"));
  EXPECT_FALSE(resolve_in_site(site(), "up/secret.toml"));
  EXPECT_EQ(resolve_in_site(site(), "home.html"), fs::canonical(site() / "index.html"))
      << "a link that stays inside is the file it names";
  // A sibling whose name starts like the site is not inside it.
  fs::create_directories(root_ / "site-old");
  std::ofstream(root_ / "site-old" / "x.json") << "{}";
  fs::create_symlink(root_ / "site-old" / "x.json", site() / "x.json");
  EXPECT_FALSE(resolve_in_site(site(), "x.json"));
}

TEST(SiteFiles, ContentTypesAndCaching) {
  EXPECT_EQ(content_type_of("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_of("assets/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_of("assets/style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_of("data/meta.json"), "application/json");
  EXPECT_EQ(content_type_of("data/shapes-fr.geojson"), "application/geo+json");
  EXPECT_EQ(content_type_of("blob"), "application/octet-stream");
  EXPECT_EQ(cache_control_of("data/meta.json"), "no-cache");
  EXPECT_EQ(cache_control_of("index.html"), "no-cache");
}

TEST(BearerToken, MatchesOnlyTheExactToken) {
  const Secret token("s3cret-token");
  EXPECT_TRUE(bearer_token_matches(token, "Bearer s3cret-token"));
  EXPECT_FALSE(bearer_token_matches(token, "Bearer s3cret-tokem"));
  EXPECT_FALSE(bearer_token_matches(token, "Bearer s3cret-token "));
  EXPECT_FALSE(bearer_token_matches(token, "Bearer s3cret"));
  EXPECT_FALSE(bearer_token_matches(token, "s3cret-token"));
  EXPECT_FALSE(bearer_token_matches(token, "Basic s3cret-token"));
  EXPECT_FALSE(bearer_token_matches(token, ""));
  EXPECT_FALSE(bearer_token_matches(Secret(), "Bearer ")) << "no token configured: nothing matches";
}

TEST(Events, FormatsAnEventAsTheStreamCarriesIt) {
  EXPECT_EQ(format_event({42, "run", R"({"runs":[]})"}),
            "id: 42\nevent: run\ndata: {\"runs\":[]}\n\n");
  EXPECT_EQ(format_event(reset_event(7)), "id: 7\nevent: reset\ndata: {}\n\n");
}

TEST(Events, ResumesAfterAKnownIdAndResetsOtherwise) {
  EventBuffer buffer(3, 10);
  EXPECT_EQ(buffer.newest_id(), 10);
  EXPECT_TRUE(buffer.since(10).events.empty());
  EXPECT_FALSE(buffer.since(10).reset);
  for (const std::int64_t id : {12, 15, 19}) buffer.push({id, "run", "{}"});
  auto resume = buffer.since(12);
  EXPECT_FALSE(resume.reset);
  ASSERT_EQ(resume.events.size(), 2u);
  EXPECT_EQ(resume.events[0].id, 15);
  EXPECT_EQ(resume.events[1].id, 19);
  EXPECT_EQ(buffer.since(10).events.size(), 3u) << "the start id is known";
  EXPECT_TRUE(buffer.since(13).reset) << "never given out";
  EXPECT_TRUE(buffer.since(99).reset) << "from the future (another server)";
  buffer.push({20, "run", "{}"});  // 12 falls out; 12 becomes the floor
  EXPECT_TRUE(buffer.since(10).reset) << "older than the buffer";
  EXPECT_EQ(buffer.since(12).events.size(), 3u);
  EXPECT_TRUE(buffer.since(20).events.empty());
  EXPECT_EQ(buffer.newest_id(), 20);
}

TEST(Events, AClientGetsWhatItIsOwedThenNewEvents) {
  EventHub hub(8, 4, 2, 5);
  hub.publish({6, "run", "a"});
  auto resumed = hub.subscribe(5);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->next(0ms), format_event({6, "run", "a"}));
  auto fresh = hub.subscribe(std::nullopt);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->next(0ms), "") << "no Last-Event-ID: nothing replayed, a heartbeat's turn";
  EXPECT_FALSE(hub.subscribe(std::nullopt)) << "max_clients reached";
  hub.publish({9, "run", "b"});
  EXPECT_EQ(resumed->next(0ms), format_event({9, "run", "b"}));
  EXPECT_EQ(fresh->next(0ms), format_event({9, "run", "b"}));
  hub.unsubscribe(fresh);
  EXPECT_EQ(hub.clients(), 1u);
  auto unknown = hub.subscribe(7);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->next(0ms), format_event(reset_event(9)));
}

TEST(Events, ASlowClientIsDroppedWithoutHoldingUpTheOthers) {
  EventHub hub(64, 3, 4, 0);
  auto slow = hub.subscribe(std::nullopt);
  auto quick = hub.subscribe(std::nullopt);
  for (std::int64_t id = 1; id <= 10; ++id) {
    hub.publish({id, "run", "{}"});
    EXPECT_EQ(quick->next(0ms), format_event({id, "run", "{}"}));
  }
  EXPECT_TRUE(slow->dropped());
  EXPECT_FALSE(slow->next(0ms)) << "its stream ends; it reconnects with its Last-Event-ID";
  EXPECT_FALSE(quick->dropped());
  EXPECT_EQ(hub.clients(), 1u);
}

TEST(Events, WaitingClientsWakeOnPublishAndOnClose) {
  EventHub hub(8, 8, 4, 0);
  auto client = hub.subscribe(std::nullopt);
  std::thread publisher([&] {
    std::this_thread::sleep_for(50ms);
    hub.publish({1, "run", "{}"});
  });
  EXPECT_EQ(client->next(5s), format_event({1, "run", "{}"}));
  publisher.join();
  std::thread closer([&] {
    std::this_thread::sleep_for(50ms);
    hub.close_all();
  });
  EXPECT_FALSE(client->next(5s));
  closer.join();
  EXPECT_FALSE(hub.subscribe(std::nullopt)) << "a stopped hub takes no client";
}

}  // namespace
}  // namespace meteo::serve
