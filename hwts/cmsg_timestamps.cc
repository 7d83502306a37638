#include "hwts/cmsg_timestamps.h"

#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>

#include <cstring>

namespace strata::hwts {

namespace {

// struct scm_timestamping with 64-bit time_t (the layout on every 64-bit Linux ABI).
struct ScmTimestamping {
  timespec ts[3];
};

RawTimestamp fromTimespec(const timespec& ts) { return RawTimestamp{ts.tv_sec, ts.tv_nsec}; }

// The payload of `c` as a T, if the header claims enough bytes and they lie inside the
// message's control buffer (a header may claim more than the buffer holds).
template <class T>
bool readPayload(const msghdr& msg, const cmsghdr* c, T& out) {
  if (c->cmsg_len < CMSG_LEN(sizeof(T))) return false;
  const auto* begin = static_cast<const uint8_t*>(msg.msg_control);
  const auto* data = reinterpret_cast<const uint8_t*>(CMSG_DATA(c));
  if (data < begin || static_cast<size_t>(data - begin) + sizeof(T) > msg.msg_controllen) {
    return false;
  }
  std::memcpy(&out, data, sizeof(T));
  return true;
}

// CMSG_NXTHDR on a const msghdr: the glibc macro takes non-const pointers.
cmsghdr* firstHeader(const msghdr& msg) { return CMSG_FIRSTHDR(const_cast<msghdr*>(&msg)); }
cmsghdr* nextHeader(const msghdr& msg, cmsghdr* c) { return CMSG_NXTHDR(const_cast<msghdr*>(&msg), c); }

}  // namespace

RxControl parseRxControl(const msghdr& msg) {
  RxControl out;
  if (msg.msg_control == nullptr) return out;
  for (cmsghdr* c = firstHeader(msg); c != nullptr; c = nextHeader(msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
      ScmTimestamping ts;
      if (readPayload(msg, c, ts)) {
        out.software = fromTimespec(ts.ts[0]);
        out.hardware = fromTimespec(ts.ts[2]);
      }
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING_PKTINFO) {
      scm_ts_pktinfo info;
      if (readPayload(msg, c, info)) {
        out.ts_ifindex = static_cast<int>(info.if_index);
        out.l2_length = info.pkt_length;
      }
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      if (readPayload(msg, c, info)) {
        out.local_address = common::IpAddress::v4(ntohl(info.ipi_addr.s_addr));
        out.pktinfo_ifindex = info.ipi_ifindex;
      }
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info;
      if (readPayload(msg, c, info)) {
        std::array<uint8_t, 16> bytes;
        std::memcpy(bytes.data(), info.ipi6_addr.s6_addr, 16);
        out.local_address = common::IpAddress::v6(bytes);
        out.pktinfo_ifindex = static_cast<int>(info.ipi6_ifindex);
      }
    }
  }
  return out;
}

std::optional<TxTimestamp> parseTxErrqueue(const msghdr& msg) {
  if (msg.msg_control == nullptr) return {};
  TxTimestamp out;
  bool have_stamp = false, have_err = false;
  for (cmsghdr* c = firstHeader(msg); c != nullptr; c = nextHeader(msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
      ScmTimestamping ts;
      if (readPayload(msg, c, ts)) {
        out.software = fromTimespec(ts.ts[0]);
        out.hardware = fromTimespec(ts.ts[2]);
        have_stamp = true;
      }
    } else if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
               (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
      sock_extended_err err;
      if (readPayload(msg, c, err) && err.ee_errno == ENOMSG &&
          err.ee_origin == SO_EE_ORIGIN_TIMESTAMPING) {
        out.id = err.ee_data;
        out.type = err.ee_info <= SCM_TSTAMP_ACK ? static_cast<TxStampType>(err.ee_info)
                                                 : TxStampType::kOther;
        have_err = true;
      }
    }
  }
  if (!have_stamp || !have_err) return {};
  return out;
}

size_t buildTxControl(std::span<uint8_t> buffer, uint32_t tx_flags,
                      const std::optional<common::IpAddress>& source, int source_ifindex) {
  size_t need = (tx_flags ? CMSG_SPACE(sizeof(uint32_t)) : 0) +
                (source ? CMSG_SPACE(sizeof(in6_pktinfo)) : 0);
  if (need == 0 || buffer.size() < need) return 0;
  std::memset(buffer.data(), 0, need);
  msghdr msg{};
  msg.msg_control = buffer.data();
  msg.msg_controllen = need;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  size_t used = 0;
  if (tx_flags) {
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SO_TIMESTAMPING;
    c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
    std::memcpy(CMSG_DATA(c), &tx_flags, sizeof tx_flags);
    used += CMSG_SPACE(sizeof(uint32_t));
    c = CMSG_NXTHDR(&msg, c);
  }
  if (source) {
    if (source->isV4()) {
      in_pktinfo info{};
      info.ipi_spec_dst.s_addr = htonl(source->v4HostOrder());
      info.ipi_ifindex = source_ifindex > 0 ? source_ifindex : 0;
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof info);
      std::memcpy(CMSG_DATA(c), &info, sizeof info);
      used += CMSG_SPACE(sizeof info);
    } else {
      in6_pktinfo info{};
      std::memcpy(info.ipi6_addr.s6_addr, source->bytes().data(), 16);
      info.ipi6_ifindex = source_ifindex > 0 ? static_cast<unsigned>(source_ifindex) : 0;
      c->cmsg_level = IPPROTO_IPV6;
      c->cmsg_type = IPV6_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof info);
      std::memcpy(CMSG_DATA(c), &info, sizeof info);
      used += CMSG_SPACE(sizeof info);
    }
  }
  return used;
}

}  // namespace strata::hwts
