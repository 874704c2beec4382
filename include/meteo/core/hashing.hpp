// Content hashes every module shares. FNV-1a 64 is fast and not cryptographic: shards, checksums
// of the tool's own files, version fingerprints. SHA-256 names what must not collide by accident
// or on purpose: archived payloads, region index cache files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace meteo {

// FNV-1a, 64 bits, fed incrementally: offset basis 0xcbf29ce484222325, prime 0x100000001b3.
// Over "" it is 0xcbf29ce484222325, over "a" 0xaf63dc4c8601ec8c.
class Fnv1a64 {
 public:
  void add(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) value_ = (value_ ^ bytes[i]) * 0x100000001b3ULL;
  }
  void add(std::string_view text) { add(text.data(), text.size()); }
  std::uint64_t value() const { return value_; }

 private:
  std::uint64_t value_ = 0xcbf29ce484222325ULL;
};

std::uint64_t fnv1a64(std::string_view bytes);
// 16 lower-case hex digits.
std::string fnv1a64_hex(std::string_view bytes);
// A content fingerprint (FNV-1a 64, hex) identifying a reference document's version.
std::string fingerprint(std::string_view content);

// SHA-256 fed incrementally (OpenSSL). hex() finishes the digest: call it once.
class Sha256 {
 public:
  Sha256();  // throws Error(software) when OpenSSL cannot start a digest
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  std::string hex();  // lower case

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace meteo
