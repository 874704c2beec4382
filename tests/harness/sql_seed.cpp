#include "sql_seed.hpp"

#include <cppconn/connection.h>
#include <cppconn/statement.h>

#include <memory>

namespace meteo::testing {

void execute_sql(Database& db, const std::string& statement) {
  std::unique_ptr<sql::Statement>(db.connection().createStatement())->execute(statement);
}

}  // namespace meteo::testing
