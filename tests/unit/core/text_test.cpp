#include "meteo/core/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace meteo {
namespace {

TEST(ValidUtf8, KeepsValidTextUnchanged) {
  EXPECT_EQ(valid_utf8(""), "");
  EXPECT_EQ(valid_utf8("plain ascii\ttab"), "plain ascii\ttab");
  const std::string french = "Île-de-France, Provence-Alpes-Côte d’Azur, 21.5 °C";
  EXPECT_EQ(valid_utf8(french), french);
  const std::string four_bytes = "\xF0\x9F\x8C\xA1 \xF4\x8F\xBF\xBF";  // U+1F321, U+10FFFF
  EXPECT_EQ(valid_utf8(four_bytes), four_bytes);
}

TEST(ValidUtf8, WritesEachInvalidByteVisibly) {
  EXPECT_EQ(valid_utf8("last read: '\"\xFF'"), "last read: '\"\\xFF'");
  // A UTF-16 little-endian body: its byte order mark is no UTF-8.
  EXPECT_EQ(valid_utf8(std::string("\xFF\xFE[\0", 4)), std::string("\\xFF\\xFE[\0", 10));
  EXPECT_EQ(valid_utf8("a\xC3"), "a\\xC3") << "a sequence cut at the end";
  EXPECT_EQ(valid_utf8("\xC3(x"), "\\xC3(x") << "a lead byte without its continuation";
  EXPECT_EQ(valid_utf8("\x80z"), "\\x80z") << "a lone continuation byte";
}

TEST(ValidUtf8, RefusesOverlongFormsSurrogatesAndCodePointsPastTheLast) {
  EXPECT_EQ(valid_utf8("\xC0\xAF"), "\\xC0\\xAF");                    // overlong '/'
  EXPECT_EQ(valid_utf8("\xE0\x80\xAF"), "\\xE0\\x80\\xAF");           // overlong '/'
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\\xED\\xA0\\x80");           // U+D800
  EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // U+110000
  EXPECT_EQ(valid_utf8("\xF5\x80\x80\x80"), "\\xF5\\x80\\x80\\x80");
}

}  // namespace
}  // namespace meteo
