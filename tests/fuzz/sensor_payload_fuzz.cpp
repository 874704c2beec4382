// libFuzzer target: the partner's sensor payload, arbitrary bytes in. A body that is not a
// payload must end in meteo::Error; any other exception, a crash or a sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "meteo/core/errors.hpp"
#include "meteo/sources/sensor/payload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    const meteo::ParsedPayload payload = meteo::parse_sensor_payload(body, "fuzz://sensor");
    // Nothing is silently dropped: every element is either a reading or a reject.
    if (payload.readings.size() + payload.rejected.size() != payload.record_count) std::abort();
  } catch (const meteo::Error&) {
    // Expected for most inputs: the payload is refused with a message.
  }
  return 0;
}
