// XGBoost's C API behind RAII handles: a dense matrix, and a booster trained on one.
#pragma once

#include <xgboost/c_api.h>

#include <string>
#include <vector>

namespace meteo::analysis {

// Rows of features, row-major; NaN marks a missing value.
struct FeatureMatrix {
  std::vector<float> values;
  std::size_t columns = 0;
  std::size_t rows() const { return columns == 0 ? 0 : values.size() / columns; }
};

class DataMatrix {
 public:
  // Labels empty for a matrix only predicted on.
  DataMatrix(const FeatureMatrix& features, const std::vector<float>& labels);
  ~DataMatrix();
  DataMatrix(const DataMatrix&) = delete;
  DataMatrix& operator=(const DataMatrix&) = delete;
  DMatrixHandle handle() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

class Booster {
 public:
  // Trains `rounds` trees on `training` with the given parameters (XGBoost's names).
  Booster(const DataMatrix& training,
          const std::vector<std::pair<std::string, std::string>>& params, int rounds);
  ~Booster();
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;

  std::vector<float> predict(const DataMatrix& data) const;

 private:
  BoosterHandle handle_ = nullptr;
};

// "xgboost 1.7.4": the library's own version, for the model card.
std::string xgboost_version();

}  // namespace meteo::analysis
