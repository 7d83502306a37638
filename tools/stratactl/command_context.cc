#include "tools/stratactl/command_context.h"

#include <netdb.h>
#include <sys/socket.h>

#include <cctype>
#include <cinttypes>
#include <cstdio>

#include "proto/cmdmon/protocol.h"
#include "tools/stratactl/report_writer.h"

namespace strata::tools {

namespace cm = proto::cmdmon;

namespace {

void printStatus(CommandContext& ctx, uint16_t status) {
  (ctx.json ? ctx.err : ctx.out) << cm::statusText(status) << "\n";
  // Refused over UDP because the unix socket could not be used: say why.
  if (status == static_cast<uint16_t>(cm::Status::kUnauthorised) && !ctx.client.overUnixSocket() &&
      !ctx.client.skippedTargets().empty()) {
    ctx.err << "stratactl: only monitoring is allowed over " << ctx.client.target()
            << "; the unix socket was not usable: " << ctx.client.skippedTargets() << "\n";
  }
}

}  // namespace

std::optional<cm::Reply> ask(CommandContext& ctx, uint16_t command, cm::RequestBody body,
                             uint16_t expected) {
  auto reply = ctx.client.request(command, std::move(body));
  if (!reply) {
    ctx.err << "stratactl: " << reply.error().message << "\n";
    return std::nullopt;
  }
  if (reply->header.status != static_cast<uint16_t>(cm::Status::kSuccess)) {
    printStatus(ctx, reply->header.status);
    return std::nullopt;
  }
  if (reply->header.reply != expected) {
    (ctx.json ? ctx.err : ctx.out) << "508 Bad reply from daemon\n";
    return std::nullopt;
  }
  return std::move(*reply);
}

bool askStatus(CommandContext& ctx, uint16_t command, cm::RequestBody body) {
  auto reply = ctx.client.request(command, std::move(body));
  if (!reply) {
    ctx.err << "stratactl: " << reply.error().message << "\n";
    return false;
  }
  const uint16_t status = reply->header.status;
  if (status != 0 && !ctx.json) {
    printStatus(ctx, status);
    return false;
  }
  if (ctx.json) {
    (status == 0 ? ctx.out : ctx.err)
        << "{\"status\":" << status << ",\"message\":\"" << cm::statusText(status) << "\"}\n";
  } else {
    ctx.out << cm::statusText(status) << "\n";
  }
  return status == static_cast<uint16_t>(cm::Status::kSuccess);
}

std::string displayName(CommandContext& ctx, const cm::CmdAddress& address, bool refclock,
                        uint32_t ref_id, bool is_source, size_t truncate) {
  if (refclock) return refIdText(ref_id);
  if (is_source && ctx.source_names) {
    auto reply = ctx.client.request(cm::cmd::kNtpSourceName, address);
    if (!reply) return "?";
    if (reply->header.status != 0) {
      ctx.out << cm::statusText(reply->header.status) << "\n";  // as chronyc does
      return "?";
    }
    const auto* name = std::get_if<cm::NtpSourceNameReply>(&reply->body);
    if (!name || name->name.empty()) return "?";
    for (unsigned char c : name->name) {
      if (!std::isgraph(c)) return "?";
    }
    return name->name;
  }
  if (ctx.no_dns || ctx.csv || !address.isIp()) return address.toString();
  sockaddr_storage ss;
  const socklen_t len = common::SocketAddress{address.ip, 0}.toSockaddr(ss);
  char host[NI_MAXHOST];
  std::string name =
      getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, nullptr, 0, 0) == 0
          ? std::string(host)
          : address.toString();
  if (truncate > 0 && name.size() > truncate) {
    name.resize(truncate);
    name[truncate - 1] = '>';
  }
  return name;
}

std::optional<cm::CmdAddress> parseSourceAddress(const std::string& text) {
  uint32_t id = 0;
  if (std::sscanf(text.c_str(), "ID#%" SCNu32, &id) == 1) return cm::CmdAddress::fromId(id);
  if (auto ip = common::IpAddress::parse(text)) return cm::CmdAddress::fromIp(*ip);
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(text.c_str(), nullptr, &hints, &res) != 0 || res == nullptr) return std::nullopt;
  auto a = common::SocketAddress::fromSockaddr(res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (!a) return std::nullopt;
  return cm::CmdAddress::fromIp(a->ip);
}

void printHeader(CommandContext& ctx, const std::string& title) {
  if (ctx.csv) return;
  ctx.out << title << "\n" << std::string(title.size(), '=') << "\n";
}

}  // namespace strata::tools
