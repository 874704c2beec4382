#include "quoted_text.hpp"

namespace meteo::sources_text {

std::string shortened(std::string text, std::size_t max_chars) {
  if (text.size() <= max_chars) return text;
  std::size_t cut = max_chars - 3;
  // Back up over continuation bytes so the cut lands between characters.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

}  // namespace meteo::sources_text
