#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <regex>
#include <sstream>

#include "server/control/metrics_render.h"
#include "server/control/metrics_server.h"
#include "tests/unit/control/fake_backend.h"

namespace strata::server::control {
namespace {

using testing::FakeBackend;

MetricsSnapshot snapshot(FakeBackend& b) {
  MetricsSnapshot s;
  s.tracking = b.tracking();
  s.sources = b.sources();
  s.serving = b.serving();
  s.activity = b.activity();
  CommandCounters c;
  c.received = 12;
  c.drops[static_cast<size_t>(CommandDrop::kRateLimited)] = 5;
  s.commands = c;
  return s;
}

// "name{labels} value" lines keyed by everything before the value.
std::map<std::string, std::string> samples(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t sp = line.rfind(' ');
    out[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return out;
}

TEST(MetricsRender, EveryLineIsCommentOrAWellFormedSample) {
  FakeBackend b;
  const std::string text = renderMetrics(snapshot(b), MetricsFormat::kPrometheus);
  const std::regex sample(
      R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+0-9.eEInfNa]+$)");
  const std::regex comment(R"(^# (HELP|TYPE) strata_[a-z0-9_]+ .+$)");
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    EXPECT_TRUE(std::regex_match(line, sample) || std::regex_match(line, comment)) << line;
  }
  EXPECT_GT(n, 100);
  EXPECT_EQ(text.find("# EOF"), std::string::npos);
}

TEST(MetricsRender, CarriesTheBackendsFigures) {
  FakeBackend b;
  const auto s = samples(renderMetrics(snapshot(b), MetricsFormat::kPrometheus));
  EXPECT_EQ(s.at("strata_ntp_packets_received_total"), "4296201863");
  EXPECT_EQ(s.at("strata_ntp_rx_timestamps_total{source=\"kernel\"}"), "20000");
  EXPECT_EQ(s.at("strata_worker_received_total{worker=\"1\",cpu=\"3\"}"), "1000001");
  EXPECT_EQ(s.at("strata_worker_drops_total{worker=\"0\",reason=\"denied\"}"), "9500");
  EXPECT_EQ(s.at("strata_worker_tx_timestamps_total{worker=\"0\",source=\"kernel\"}"), "25000");
  EXPECT_EQ(s.at("strata_worker_tx_timestamps_shed_total{worker=\"1\",cpu=\"3\"}"), "12");
  EXPECT_EQ(s.at("strata_worker_tx_timestamp_renumberings_total{worker=\"1\",cpu=\"3\"}"), "6");
  EXPECT_EQ(s.at("strata_client_log_records"), "13");
  EXPECT_EQ(s.at("strata_client_log_capacity_records"), "4096");
  EXPECT_EQ(s.at("strata_command_packets_received_total"), "12");
  EXPECT_EQ(s.at("strata_command_packets_dropped_total{reason=\"rate_limited\"}"), "5");
  EXPECT_EQ(s.at("strata_tracking_stratum"), "3");
  EXPECT_EQ(s.at("strata_tracking_reference{reference_id=\"C0000201\",reference=\"192.0.2.1\"}"),
            "1");
  EXPECT_EQ(s.at("strata_tracking_system_time_offset_seconds"), "0.000986114");
  EXPECT_EQ(s.at("strata_tracking_last_offset_seconds"), "-0.000145085");
  EXPECT_EQ(s.at("strata_tracking_reference_timestamp_seconds"), "1538221568.25");
  EXPECT_EQ(s.at("strata_source_offset_seconds{source=\"peer.example.net\",mode=\"peer\"}"),
            "-12.3456");
  EXPECT_EQ(s.at("strata_tracking_frequency_ppm"), "-96.481");
  EXPECT_EQ(s.at("strata_source_offset_seconds{source=\"ntp1.example.net\",mode=\"server\"}"),
            "0.00000107");
  EXPECT_EQ(s.at("strata_source_jitter_seconds{source=\"GPS\",mode=\"refclock\"}"), "0.00000082");
  EXPECT_EQ(s.at("strata_source_reachability{source=\"ntp2.example.net\",mode=\"server\"}"), "127");
  EXPECT_EQ(s.at("strata_source_reach_ratio{source=\"ntp2.example.net\",mode=\"server\"}"),
            "0.875");
  EXPECT_EQ(s.at("strata_source_poll_interval_seconds{source=\"peer.example.net\",mode=\"peer\"}"),
            "0.125");
  EXPECT_EQ(
      s.count("strata_source_last_sample_age_seconds{source=\"pool.example.org\",mode=\"server\"}"),
      0u);
  EXPECT_EQ(s.at("strata_sources{state=\"unresolved\"}"), "1");
}

TEST(MetricsRender, OpenMetricsNamesCounterFamiliesWithoutTotalAndEnds) {
  FakeBackend b;
  const std::string text = renderMetrics(snapshot(b), MetricsFormat::kOpenMetrics);
  EXPECT_NE(text.find("# TYPE strata_ntp_packets_received counter\n"), std::string::npos);
  EXPECT_NE(text.find("\nstrata_ntp_packets_received_total 4296201863\n"), std::string::npos);
  EXPECT_TRUE(text.size() > 6 && text.compare(text.size() - 6, 6, "# EOF\n") == 0);
  const std::string prom = renderMetrics(snapshot(b), MetricsFormat::kPrometheus);
  EXPECT_NE(prom.find("# TYPE strata_ntp_packets_received_total counter\n"), std::string::npos);
  EXPECT_EQ(negotiateMetricsFormat("application/openmetrics-text; version=1.0.0"),
            MetricsFormat::kOpenMetrics);
  EXPECT_EQ(negotiateMetricsFormat("text/plain"), MetricsFormat::kPrometheus);
  EXPECT_EQ(negotiateMetricsFormat(""), MetricsFormat::kPrometheus);
}

TEST(MetricsRender, EscapesLabelValues) {
  FakeBackend b;
  b.sources_[0].name = "a\"b\\c\nd";
  const std::string text = renderMetrics(snapshot(b), MetricsFormat::kPrometheus);
  EXPECT_NE(text.find("source=\"a\\\"b\\\\c\\nd\""), std::string::npos);
}

// -------------------------------------------------------------------- the HTTP server

class MetricsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MetricsServerOptions o;
    o.max_connections = 2;
    o.max_request_bytes = 1024;
    o.request_timeout = common::Nanos(300'000'000);
    server_ = std::make_unique<MetricsServer>(backend_, o);
    ASSERT_TRUE(server_->open());
    ASSERT_NE(server_->boundAddress().port, 0);
  }

  int connectClient() {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage ss;
    const socklen_t len = server_->boundAddress().toSockaddr(ss);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&ss), len), 0);
    return fd;
  }

  // Pumps the server until the client sees the end of the stream (or the time runs out).
  std::string readAll(int fd, std::chrono::milliseconds limit = std::chrono::milliseconds(2000)) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p[2] = {{server_->fds()[0], POLLIN, 0}, {fd, POLLIN, 0}};
      poll(p, 2, 10);
      if (p[0].revents) server_->onReadable(p[0].fd);
      if (p[1].revents) {
        char buf[65536];
        const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0) break;
        if (n > 0) got.append(buf, static_cast<size_t>(n));
      }
    }
    return got;
  }

  std::string exchange(const std::string& request) {
    const int fd = connectClient();
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string reply = readAll(fd);
    ::close(fd);
    return reply;
  }

  FakeBackend backend_;
  std::unique_ptr<MetricsServer> server_;
};

TEST_F(MetricsServerTest, ServesMetricsWithContentLengthAndCloses) {
  const std::string reply = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << reply.substr(0, 200);
  EXPECT_NE(reply.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"),
            std::string::npos);
  const size_t head_end = reply.find("\r\n\r\n");
  const std::smatch m = [&] {
    std::smatch mm;
    static const std::regex re("Content-Length: (\\d+)\r\n");
    std::regex_search(reply.begin(), reply.begin() + static_cast<long>(head_end), mm, re);
    return mm;
  }();
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(std::stoul(m[1]), reply.size() - head_end - 4);
  EXPECT_NE(reply.find("strata_tracking_stratum 3\n"), std::string::npos);
  EXPECT_EQ(server_->openConnections(), 0u);
}

TEST_F(MetricsServerTest, RequestsArrivingInPiecesAreAssembled) {
  const int fd = connectClient();
  for (const char* part :
       {"GET /met", "rics HTTP/1.1\r\nAccept: application/openmetrics-text", "\r\n\r\n"}) {
    send(fd, part, std::strlen(part), MSG_NOSIGNAL);
    pollfd p{server_->fds()[0], POLLIN, 0};
    if (poll(&p, 1, 100) > 0) server_->onReadable(p.fd);
  }
  const std::string reply = readAll(fd);
  ::close(fd);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(reply.find("application/openmetrics-text"), std::string::npos);
  EXPECT_EQ(reply.compare(reply.size() - 6, 6, "# EOF\n"), 0);
}

TEST_F(MetricsServerTest, OnlyGetOrHeadOfMetrics) {
  EXPECT_EQ(exchange("GET / HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  const std::string post = exchange("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(post.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u);
  EXPECT_NE(post.find("Allow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_EQ(exchange("BLAH\r\n\r\n").rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u);
  const std::string head = exchange("HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_EQ(head.size(), head.find("\r\n\r\n") + 4);  // no body
}

TEST_F(MetricsServerTest, OversizedRequestsAreRefused) {
  const std::string big = "GET /metrics HTTP/1.1\r\nX-Pad: " + std::string(2000, 'a') + "\r\n\r\n";
  EXPECT_EQ(exchange(big).rfind("HTTP/1.1 431 ", 0), 0u);
}

TEST_F(MetricsServerTest, SilentClientsTimeOut) {
  const int fd = connectClient();
  send(fd, "GET /metrics HTTP/1.1\r\n", 23, MSG_NOSIGNAL);  // never finishes its request
  const auto start = std::chrono::steady_clock::now();
  const std::string reply = readAll(fd, std::chrono::milliseconds(3000));
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_EQ(reply, "");
  EXPECT_LT(took, std::chrono::milliseconds(2000));
  EXPECT_GE(took, std::chrono::milliseconds(200));
  EXPECT_EQ(server_->openConnections(), 0u);
}

TEST_F(MetricsServerTest, ConnectionsBeyondTheLimitGet503) {
  const int a = connectClient();
  const int b = connectClient();
  const int c = connectClient();
  const std::string third = readAll(c, std::chrono::milliseconds(500));
  EXPECT_EQ(third.rfind("HTTP/1.1 503 ", 0), 0u) << third;
  EXPECT_EQ(server_->openConnections(), 2u);
  ::close(c);
  // The first two are still served.
  send(a, "GET /metrics HTTP/1.1\r\n\r\n", 25, MSG_NOSIGNAL);
  EXPECT_EQ(readAll(a).rfind("HTTP/1.1 200 OK", 0), 0u);
  ::close(a);
  ::close(b);
}

}  // namespace
}  // namespace strata::server::control
