#include "server/control/http_request.h"

#include <gtest/gtest.h>

namespace strata::server::control {
namespace {

using S = HttpRequest::Status;

TEST(HttpRequest, ParsesAPrometheusScrape) {
  const std::string req =
      "GET /metrics?x=1 HTTP/1.1\r\nHost: 127.0.0.1:9123\r\nUser-Agent: Prometheus/2.45\r\n"
      "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n"
      "\r\n";
  const HttpRequest r = parseHttpRequest(req, 8192);
  ASSERT_EQ(r.status, S::kComplete);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/metrics");
  EXPECT_EQ(r.head_length, req.size());
  EXPECT_NE(r.accept.find("openmetrics"), std::string::npos);
}

TEST(HttpRequest, WaitsForTheEndOfTheHeadWithinTheLimit) {
  EXPECT_EQ(parseHttpRequest("GET /metrics HTTP/1.1\r\nHost: x\r\n", 8192).status, S::kIncomplete);
  EXPECT_EQ(parseHttpRequest("", 8192).status, S::kIncomplete);
  EXPECT_EQ(parseHttpRequest(std::string(9000, 'a'), 8192).status, S::kTooLarge);
  const std::string long_header =
      "GET /metrics HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n";
  EXPECT_EQ(parseHttpRequest(long_header, 8192).status, S::kTooLarge);
}

TEST(HttpRequest, AcceptsBareLineFeedsAndHttp10) {
  const HttpRequest r = parseHttpRequest("HEAD /metrics HTTP/1.0\n\n", 8192);
  ASSERT_EQ(r.status, S::kComplete);
  EXPECT_EQ(r.method, "HEAD");
}

TEST(HttpRequest, RejectsWhatIsNotAnHttpRequestHead) {
  for (const char* bad :
       {"GET\r\n\r\n", "GET /metrics\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n",
        "GET /metrics HTTP/2.0\r\n\r\n", "GET /a b HTTP/1.1\r\n\r\n",
        "G(T /metrics HTTP/1.1\r\n\r\n", "GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n",
        "\x16\x03\x01\x02\x01\x01\x02\x01\xfc\x03\x03\n\n"}) {
    EXPECT_EQ(parseHttpRequest(bad, 8192).status, S::kBad)
        << ::testing::PrintToString(std::string(bad));
  }
}

}  // namespace
}  // namespace strata::server::control
