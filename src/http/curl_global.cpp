#include <curl/curl.h>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"

namespace meteo {

CurlGlobal::CurlGlobal() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    throw Error(ExitCode::software, "libcurl: global initialisation failed");
  }
}

CurlGlobal::~CurlGlobal() {
  curl_global_cleanup();
}

}  // namespace meteo
