// The names of the models and quantities, as logs, tables and the judge print them.
#include "meteo/forecast/forecast.hpp"

namespace meteo::forecast {

const char* model_text(Model model) {
  switch (model) {
    case Model::persistence:
      return "persistence";
    case Model::diurnal_persistence:
      return "diurnal_persistence";
    case Model::holt_winters:
      return "holt_winters";
    case Model::linear:
      return "linear";
  }
  return "persistence";
}

std::optional<Model> parse_model(const std::string& text) {
  for (const Model model :
       {Model::persistence, Model::diurnal_persistence, Model::holt_winters, Model::linear}) {
    if (text == model_text(model)) {
      return model;
    }
  }
  return std::nullopt;
}

const char* quantity_text(Quantity quantity) {
  switch (quantity) {
    case Quantity::temperature:
      return "temperature";
    case Quantity::day_maximum:
      return "day_maximum";
  }
  return "temperature";
}

}  // namespace meteo::forecast
