#include "xgboost_handles.hpp"

#include <limits>

#include "meteo/core/errors.hpp"

namespace meteo::analysis {
namespace {

// A failing XGBoost call is a bug of ours (bad shapes or parameters), not bad input.
void check(int status, const char* call) {
  if (status != 0) {
    throw Error(ExitCode::software, std::string("xgboost ") + call + ": " + XGBGetLastError());
  }
}

}  // namespace

DataMatrix::DataMatrix(const FeatureMatrix& features, const std::vector<float>& labels) {
  check(XGDMatrixCreateFromMat(features.values.data(), features.rows(), features.columns,
                               std::numeric_limits<float>::quiet_NaN(), &handle_),
        "XGDMatrixCreateFromMat");
  if (!labels.empty()) {
    const int status = XGDMatrixSetFloatInfo(handle_, "label", labels.data(), labels.size());
    if (status != 0) {
      XGDMatrixFree(handle_);
      check(status, "XGDMatrixSetFloatInfo");
    }
  }
}

DataMatrix::~DataMatrix() {
  XGDMatrixFree(handle_);
}

Booster::Booster(const DataMatrix& training,
                 const std::vector<std::pair<std::string, std::string>>& params, int rounds) {
  const DMatrixHandle matrices[] = {training.handle()};
  check(XGBoosterCreate(matrices, 1, &handle_), "XGBoosterCreate");
  try {
    for (const auto& [name, value] : params) {
      check(XGBoosterSetParam(handle_, name.c_str(), value.c_str()), "XGBoosterSetParam");
    }
    for (int round = 0; round < rounds; ++round) {
      check(XGBoosterUpdateOneIter(handle_, round, training.handle()), "XGBoosterUpdateOneIter");
    }
  } catch (...) {
    XGBoosterFree(handle_);
    throw;
  }
}

Booster::~Booster() {
  XGBoosterFree(handle_);
}

std::vector<float> Booster::predict(const DataMatrix& data) const {
  bst_ulong length = 0;
  const float* result = nullptr;
  check(XGBoosterPredict(handle_, data.handle(), 0, 0, 0, &length, &result), "XGBoosterPredict");
  return std::vector<float>(result, result + length);
}

std::string xgboost_version() {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return "xgboost " + std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(patch);
}

}  // namespace meteo::analysis
