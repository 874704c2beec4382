// Precompiled for the test binaries: the library's set plus GoogleTest and GoogleMock.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "library.hpp"
