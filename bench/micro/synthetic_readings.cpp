#include "synthetic_readings.hpp"

#include <cmath>
#include <cstdio>
#include <random>

namespace meteo::bench {

namespace {

std::string uuid_like(std::mt19937_64& random) {
  const std::uint64_t high = random();
  const std::uint64_t low = random();
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0xffff),
                static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace

std::vector<SensorReading> synthetic_readings(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> latitude(42.3, 51.0);
  std::uniform_real_distribution<double> longitude(-4.7, 8.2);
  std::normal_distribution<double> temperature(11.0, 6.0);
  std::uniform_int_distribution<int> second_of_hour(0, 3599);
  std::bernoulli_distribution short_country_label(0.1);

  std::vector<SensorReading> readings;
  readings.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    SensorReading reading;
    reading.id = uuid_like(random);
    reading.latitude = rounded(latitude(random), 5);
    reading.longitude = rounded(longitude(random), 5);
    reading.temperature = rounded(temperature(random), 2);
    const int second = second_of_hour(random);
    char timestamp[32];
    std::snprintf(timestamp, sizeof timestamp, "2026-11-22T06:%02d:%02dZ", second / 60,
                  second % 60);
    reading.timestamp = timestamp;
    reading.country = short_country_label(random) ? "FR" : "France";
    readings.push_back(std::move(reading));
  }
  return readings;
}

std::string sensor_payload_json(const std::vector<SensorReading>& readings) {
  std::string json = "[";
  char numbers[96];
  for (std::size_t i = 0; i < readings.size(); ++i) {
    const auto& reading = readings[i];
    if (i > 0) json += ",\n";
    json +=
        R"({"id":")" + reading.id + R"(","timestamp":")" + reading.timestamp.value_or("") + "\",";
    std::snprintf(numbers, sizeof numbers, R"("lat":%.5f,"lon":%.5f,"temperature":%.2f,)",
                  reading.latitude, reading.longitude, reading.temperature);
    json += numbers;
    json += R"("country":")" + reading.country.value_or("") + "\"}";
  }
  json += "]\n";
  return json;
}

}  // namespace meteo::bench
