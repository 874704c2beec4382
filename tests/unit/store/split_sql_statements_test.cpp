#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meteo/store/migrations.hpp"

namespace meteo {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SplitSqlStatements, SplitsOnSemicolonsAndTrims) {
  EXPECT_THAT(split_sql_statements("CREATE TABLE a (x INT);\n  CREATE TABLE b (y INT) ;\n"),
              ElementsAre("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"));
}

TEST(SplitSqlStatements, KeepsALastStatementWithoutSemicolon) {
  EXPECT_THAT(split_sql_statements("SELECT 1; SELECT 2"), ElementsAre("SELECT 1", "SELECT 2"));
}

TEST(SplitSqlStatements, SkipsEmptyStatements) {
  EXPECT_THAT(split_sql_statements(";;\n ; SELECT 1;;"), ElementsAre("SELECT 1"));
  EXPECT_THAT(split_sql_statements(""), IsEmpty());
  EXPECT_THAT(split_sql_statements("  \n\t "), IsEmpty());
}

TEST(SplitSqlStatements, IgnoresSemicolonsInQuotesAndBackticks) {
  EXPECT_THAT(split_sql_statements("INSERT INTO t VALUES ('a;b', \"c;d\"); SELECT `x;y` FROM t;"),
              ElementsAre("INSERT INTO t VALUES ('a;b', \"c;d\")", "SELECT `x;y` FROM t"));
}

TEST(SplitSqlStatements, HandlesDoubledAndEscapedQuotes) {
  EXPECT_THAT(split_sql_statements("SELECT 'it''s;'; SELECT 'a\\';b'; SELECT `a``;b`;"),
              ElementsAre("SELECT 'it''s;'", "SELECT 'a\\';b'", "SELECT `a``;b`"));
}

TEST(SplitSqlStatements, IgnoresSemicolonsInComments) {
  const auto statements = split_sql_statements(
      "-- a comment; not a statement\n"
      "SELECT 1; # another; comment\n"
      "/* block; comment\n spanning lines; */ SELECT 2;\n");
  EXPECT_THAT(statements, ElementsAre("SELECT 1", "SELECT 2"));
}

TEST(SplitSqlStatements, SkipsCommentOnlyChunks) {
  EXPECT_THAT(split_sql_statements("SELECT 1;\n-- trailing comment\n/* and this */\n# and this"),
              ElementsAre("SELECT 1"));
  EXPECT_THAT(split_sql_statements("-- only a comment;\n"), IsEmpty());
}

TEST(SplitSqlStatements, LeavesOutLeadingCommentsButKeepsInnerOnes) {
  EXPECT_THAT(split_sql_statements("-- the table\nCREATE TABLE t (\n  x INT -- why; x\n);"),
              ElementsAre("CREATE TABLE t (\n  x INT -- why; x\n)"));
}

TEST(SplitSqlStatements, DoubleDashWithoutSpaceIsNotAComment) {
  // MySQL reads "1--1" as 1 - (-1): only "-- " starts a comment.
  EXPECT_THAT(split_sql_statements("SELECT 1--1; SELECT 2"),
              ElementsAre("SELECT 1--1", "SELECT 2"));
}

TEST(SplitSqlStatements, QuotesInsideCommentsDoNotOpenStrings) {
  EXPECT_THAT(split_sql_statements("-- don't\nSELECT 1; /* it's */ SELECT 2;"),
              ElementsAre("SELECT 1", "SELECT 2"));
}

TEST(SplitSqlStatements, CommentMarkersInsideStringsAreText) {
  EXPECT_THAT(split_sql_statements("SELECT '-- x;', '/* y; */', '# z;'; SELECT 2"),
              ElementsAre("SELECT '-- x;', '/* y; */', '# z;'", "SELECT 2"));
}

TEST(SplitSqlStatements, SplitsTheBundledMigrations) {
  for (const auto& migration : bundled_migrations()) {
    const auto statements = split_sql_statements(migration.sql);
    EXPECT_FALSE(statements.empty()) << migration.name;
    for (const auto& statement : statements) {
      EXPECT_FALSE(statement.starts_with("--")) << migration.name << ": " << statement;
      EXPECT_FALSE(statement.ends_with(";")) << migration.name << ": " << statement;
    }
  }
}

}  // namespace
}  // namespace meteo
