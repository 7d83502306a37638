#include "hwts/ethtool_netlink.h"

#include <linux/ethtool_netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <sys/socket.h>

#include <cstring>

#include "hwts/ethtool_nl_decode.h"

namespace strata::hwts {

using common::makeError;
using common::Result;

namespace {

struct ReplyCollector {
  int family = 0;
  uint8_t reply_cmd = 0;
  std::vector<uint8_t> attrs;
  bool got_reply = false;
  int kernel_errno = 0;  // from an NLMSG_ERROR answer
};

int onValid(nl_msg* msg, void* arg) {
  auto* c = static_cast<ReplyCollector*>(arg);
  nlmsghdr* nlh = nlmsg_hdr(msg);
  if (nlh->nlmsg_type != c->family) return NL_SKIP;
  if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) return NL_SKIP;
  auto* gh = static_cast<genlmsghdr*>(nlmsg_data(nlh));
  if (gh->cmd != c->reply_cmd) return NL_SKIP;
  const int len = genlmsg_attrlen(gh, 0);
  if (len < 0) return NL_SKIP;
  const auto* data = reinterpret_cast<const uint8_t*>(genlmsg_attrdata(gh, 0));
  c->attrs.assign(data, data + len);
  c->got_reply = true;
  return NL_OK;
}

int onError(sockaddr_nl*, nlmsgerr* err, void* arg) {
  static_cast<ReplyCollector*>(arg)->kernel_errno = -err->error;
  return NL_STOP;
}

}  // namespace

Result<std::unique_ptr<EthtoolNetlink>> EthtoolNetlink::open() {
  nl_sock* sock = nl_socket_alloc();
  if (sock == nullptr) return makeError("ethtool netlink: cannot allocate a netlink socket");
  if (int err = genl_connect(sock); err < 0) {
    nl_socket_free(sock);
    return makeError(std::string("ethtool netlink: cannot connect: ") + nl_geterror(err));
  }
  nl_socket_disable_auto_ack(sock);
  // The kernel answers at once; the timeout only bounds a read that could otherwise hang.
  timeval timeout{1, 0};
  setsockopt(nl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  const int family = genl_ctrl_resolve(sock, ETHTOOL_GENL_NAME);
  if (family < 0) {
    nl_socket_free(sock);
    return makeError(std::string("ethtool netlink: family not available: ") + nl_geterror(family));
  }
  return std::unique_ptr<EthtoolNetlink>(new EthtoolNetlink(sock, family));
}

EthtoolNetlink::~EthtoolNetlink() { nl_socket_free(sock_); }

Result<std::vector<uint8_t>> EthtoolNetlink::request(uint8_t cmd, uint8_t reply_cmd,
                                                     const InterfaceRef& iface) {
  nl_msg* msg = nlmsg_alloc();
  if (msg == nullptr) return makeError("ethtool netlink: out of memory");
  bool built = genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, 0, cmd,
                           ETHTOOL_GENL_VERSION) != nullptr;
  nlattr* header = built ? nla_nest_start(msg, ETHTOOL_A_TSINFO_HEADER) : nullptr;
  // Every ethtool request carries its header as attribute 1; the layout is the same.
  static_assert(static_cast<int>(ETHTOOL_A_TSINFO_HEADER) ==
                static_cast<int>(ETHTOOL_A_LINKMODES_HEADER));
  built = header != nullptr && nla_put_u32(msg, ETHTOOL_A_HEADER_DEV_INDEX, iface.index) == 0 &&
          nla_put_u32(msg, ETHTOOL_A_HEADER_FLAGS, ETHTOOL_FLAG_COMPACT_BITSETS) == 0 &&
          nla_nest_end(msg, header) == 0;
  if (!built) {
    nlmsg_free(msg);
    return makeError("ethtool netlink: cannot build request");
  }

  ReplyCollector collector;
  collector.family = family_;
  collector.reply_cmd = reply_cmd;
  // No NLM_F_ACK (auto-ack is off): the kernel answers a GET with exactly one message, the
  // reply or an NLMSG_ERROR, so nothing stale is left queued for the next request.
  const int sent = nl_send_auto(sock_, msg);
  nlmsg_free(msg);
  if (sent < 0) return makeError(std::string("netlink send: ") + nl_geterror(sent));
  nl_cb* cb = nl_cb_alloc(NL_CB_DEFAULT);
  if (cb == nullptr) return makeError("ethtool netlink: out of memory");
  nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, &onValid, &collector);
  nl_cb_err(cb, NL_CB_CUSTOM, &onError, &collector);
  int err = 0;
  while (!collector.got_reply && collector.kernel_errno == 0 && err >= 0) {
    err = nl_recvmsgs(sock_, cb);
  }
  nl_cb_put(cb);

  if (collector.kernel_errno != 0) {
    return makeError(std::string(std::strerror(collector.kernel_errno)));
  }
  if (!collector.got_reply) {
    return makeError(std::string("netlink: ") + (err < 0 ? nl_geterror(err) : "no reply"));
  }
  return std::move(collector.attrs);
}

Result<TimestampingInfo> EthtoolNetlink::timestampingInfo(const InterfaceRef& iface) {
  auto attrs = request(ETHTOOL_MSG_TSINFO_GET, ETHTOOL_MSG_TSINFO_GET_REPLY, iface);
  if (!attrs) return attrs.error();
  auto reply = decodeTsInfoReply(*attrs);
  if (!reply) return makeError("bad TSINFO reply: " + reply.error().message);
  if (reply->header.dev_index && *reply->header.dev_index != iface.index) {
    return makeError("TSINFO reply is for another interface");
  }
  return reply->info;
}

Result<LinkInfo> EthtoolNetlink::linkInfo(const InterfaceRef& iface) {
  auto attrs = request(ETHTOOL_MSG_LINKMODES_GET, ETHTOOL_MSG_LINKMODES_GET_REPLY, iface);
  if (!attrs) return attrs.error();
  auto reply = decodeLinkModesReply(*attrs);
  if (!reply) return makeError("bad LINKMODES reply: " + reply.error().message);
  if (reply->header.dev_index && *reply->header.dev_index != iface.index) {
    return makeError("LINKMODES reply is for another interface");
  }
  return reply->link;
}

}  // namespace strata::hwts
