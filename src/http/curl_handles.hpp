// Internal to the http module: RAII owners of libcurl's C handles.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"

namespace meteo::curl {

struct EasyCleanup {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct SlistCleanup {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
struct UrlCleanup {
  void operator()(CURLU* url) const noexcept { curl_url_cleanup(url); }
};

using Easy = std::unique_ptr<CURL, EasyCleanup>;
using Slist = std::unique_ptr<curl_slist, SlistCleanup>;
using Url = std::unique_ptr<CURLU, UrlCleanup>;

inline Easy make_easy() {
  Easy handle(curl_easy_init());
  if (!handle) throw Error(ExitCode::software, "libcurl: cannot create an easy handle");
  return handle;
}

// "Name: value" lines for CURLOPT_HTTPHEADER.
inline Slist make_slist(const std::vector<std::string>& lines) {
  Slist list;
  for (const auto& line : lines) {
    curl_slist* extended = curl_slist_append(list.get(), line.c_str());
    if (extended == nullptr) throw Error(ExitCode::software, "libcurl: out of memory");
    (void)list.release();  // curl_slist_append returned the (same or new) head
    list.reset(extended);
  }
  return list;
}

}  // namespace meteo::curl
