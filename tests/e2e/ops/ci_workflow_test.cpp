// .github/workflows/ci.yml as GitHub runs it, read by the test: no Actions runner here.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "paths.hpp"

namespace meteo::testing {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// GitHub Actions has no ../shared: every job fetches it (checked against the committed sums) before
// it runs the tests, and the MySQL job proves first that libmariadb can log in to the pinned 8.0.
TEST(CiWorkflow, FetchesTheReferenceDataBeforeTheTestsAndChecksTheLogin) {
  const std::string workflow = read_text(source_path(".github/workflows/ci.yml"));
  static const std::regex job_header(R"(\n  ([a-z0-9-]+):\n)");
  std::vector<std::pair<std::string, std::size_t>> jobs;
  for (std::sregex_iterator it(workflow.begin(), workflow.end(), job_header), end; it != end;
       ++it) {
    jobs.emplace_back((*it)[1], static_cast<std::size_t>(it->position()));
  }
  ASSERT_GE(jobs.size(), 2u) << workflow;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const std::size_t end = i + 1 < jobs.size() ? jobs[i + 1].second : workflow.size();
    const std::string job = workflow.substr(jobs[i].second, end - jobs[i].second);
    const auto fetch = job.find("bash scripts/fetch-shared.sh");
    const auto tests = std::min(job.find("bash scripts/test.sh"), job.find("bash .ci/run"));
    ASSERT_NE(tests, std::string::npos) << jobs[i].first << " runs no tests";
    EXPECT_LT(fetch, tests) << jobs[i].first << ": ../shared is not fetched before the tests";
    const auto image = job.find("image: mysql");
    if (image == std::string::npos) continue;
    EXPECT_EQ(job.substr(image, 17), "image: mysql:8.0\n") << jobs[i].first;
    const auto login = job.find("mariadb --protocol=tcp -h mysql -u meteo_ci");
    EXPECT_LT(login, tests) << jobs[i].first << ": no libmariadb login check before the tests";
  }
}

}  // namespace
}  // namespace meteo::testing
