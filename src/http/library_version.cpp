// libcurl's version as linked at run time: the TLS library matters when a handshake fails.
#include <curl/curl.h>

#include "meteo/http/client.hpp"

namespace meteo {

std::string curl_version_text() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  std::string text = info->version;
  std::string details;
  if (info->ssl_version != nullptr) details = info->ssl_version;
  if (info->libz_version != nullptr) {
    details += (details.empty() ? "" : ", ") + std::string("zlib/") + info->libz_version;
  }
  return details.empty() ? text : text + " (" + details + ")";
}

}  // namespace meteo
