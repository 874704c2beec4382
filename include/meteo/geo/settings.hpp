// The geo module's settings ([[region_sets]]): the region sets' specification, which the store and
// the dashboard read too, so it lives in model/.
#pragma once

#include "meteo/model/region_set_spec.hpp"
