#include "tools/stratactl/ntp_query.h"

#include <linux/net_tstamp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/clock.h"
#include "hwts/cmsg_timestamps.h"
#include "hwts/socket_timestamping.h"

namespace strata::tools {

common::Result<NtpQuery> NtpQuery::open(const common::SocketAddress& server) {
  common::UniqueFd fd(socket(server.ip.isV4() ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return common::makeError(std::string("socket: ") + std::strerror(errno));
  if (auto r = hwts::enableTimestamping(fd.get(), hwts::SocketTimestampingOptions{}); !r) {
    return r.error();
  }
  sockaddr_storage ss;
  socklen_t len = server.toSockaddr(ss);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return common::makeError("cannot reach " + server.toString() + ": " + std::strerror(errno));
  }
  return NtpQuery(std::move(fd));
}

common::Result<QueryResult> NtpQuery::exchange(int timeout_ms, uint8_t version) {
  // Forget replies and stamps of earlier, timed-out exchanges.
  uint8_t junk[2048];
  while (recv(fd_.get(), junk, sizeof junk, MSG_DONTWAIT) >= 0) {
  }
  while (recv(fd_.get(), junk, sizeof junk, MSG_DONTWAIT | MSG_ERRQUEUE) >= 0) {
  }

  QueryResult result;
  proto::NtpHeader request;
  request.version = version;
  request.mode = proto::NtpMode::kClient;
  const common::SysTime before_send = common::realtimeNow();
  request.transmit_time = proto::NtpTimestamp::fromSysTime(before_send);
  uint8_t packet[proto::kNtpHeaderSize];
  proto::encodeHeader(request, packet);

  uint8_t control[hwts::kTxControlSize];
  iovec iov{packet, sizeof packet};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = hwts::buildTxControl(control, SOF_TIMESTAMPING_TX_SOFTWARE, std::nullopt, 0);
  if (sendmsg(fd_.get(), &msg, 0) < 0) {
    return common::makeError(std::string("send: ") + std::strerror(errno));
  }
  result.t1 = before_send;

  const common::Nanos deadline =
      common::monotonicNow() + common::Nanos(int64_t{timeout_ms} * 1'000'000);
  bool have_reply = false;
  while (!have_reply || !result.kernel_tx_stamp) {
    common::Nanos left = deadline - common::monotonicNow();
    if (left.count() <= 0) break;
    // Once the reply is in, wait only briefly for a late TX stamp.
    int wait_ms = have_reply ? 5 : static_cast<int>(left.count() / 1'000'000) + 1;
    pollfd p{fd_.get(), POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0) {
      if (have_reply) break;
      continue;
    }
    if (p.revents & POLLERR) {
      uint8_t ctl[256];
      msghdr em{};
      em.msg_control = ctl;
      em.msg_controllen = sizeof ctl;
      if (recvmsg(fd_.get(), &em, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0) {
        if (auto ts = hwts::parseTxErrqueue(em); ts && ts->software.present()) {
          result.t1 = ts->software.asSysTime();
          result.kernel_tx_stamp = true;
        }
      } else {
        // Not a timestamp: a socket error (ICMP port unreachable on a connected socket).
        int error = 0;
        socklen_t len = sizeof error;
        getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &error, &len);
        if (error == ECONNREFUSED) {
          return common::makeError("connection refused (no NTP server on that port)");
        }
        if (error != 0)
          return common::makeError(std::string("socket error: ") + std::strerror(error));
      }
    }
    if ((p.revents & POLLIN) && !have_reply) {
      uint8_t buf[2048];
      uint8_t ctl[hwts::kRxControlSize];
      iovec riov{buf, sizeof buf};
      msghdr rm{};
      rm.msg_iov = &riov;
      rm.msg_iovlen = 1;
      rm.msg_control = ctl;
      rm.msg_controllen = sizeof ctl;
      ssize_t n = recvmsg(fd_.get(), &rm, MSG_DONTWAIT);
      const common::SysTime after_recv = common::realtimeNow();
      if (n < 0) {
        if (errno == ECONNREFUSED) {
          return common::makeError("connection refused (no NTP server on that port)");
        }
        continue;
      }
      proto::ParsedPacket parsed;
      if (proto::parsePacket(std::span<const uint8_t>(buf, static_cast<size_t>(n)), parsed) !=
          proto::ParseError::kNone) {
        continue;  // not an NTP packet: keep waiting
      }
      hwts::RxControl rx = hwts::parseRxControl(rm);
      result.kernel_rx_stamp = rx.software.present();
      result.t4 = rx.software.present() ? rx.software.asSysTime() : after_recv;
      result.reply = parsed.header;
      have_reply = true;
    }
  }
  if (!have_reply)
    return common::makeError("no reply within " + std::to_string(timeout_ms) + " ms");
  result.check = proto::checkReply(result.reply, request.transmit_time);
  result.exchange = proto::computeExchange(result.t1, result.reply.receive_time,
                                           result.reply.transmit_time, result.t4);
  return result;
}

}  // namespace strata::tools
