#include "server/stratad/privileges.h"

#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace strata::stratad {

namespace {

common::Error failed(const std::string& what) {
  return common::makeError("cannot switch user: " + what + ": " + std::strerror(errno));
}

}  // namespace

common::Result<void> dropPrivileges(const std::string& user, bool keep_sys_time) {
  errno = 0;
  passwd* pw = getpwnam(user.c_str());
  if (pw == nullptr) return common::makeError("unknown user \"" + user + "\"");
  const uid_t uid = pw->pw_uid;
  const gid_t gid = pw->pw_gid;
  if (geteuid() == uid) return {};  // already that user

  int ngroups = 64;
  std::vector<gid_t> groups(static_cast<size_t>(ngroups));
  if (getgrouplist(user.c_str(), gid, groups.data(), &ngroups) < 0) {
    groups.resize(static_cast<size_t>(ngroups));
    getgrouplist(user.c_str(), gid, groups.data(), &ngroups);
  }
  groups.resize(static_cast<size_t>(ngroups));

  if (prctl(PR_SET_KEEPCAPS, 1) != 0) return failed("PR_SET_KEEPCAPS");
  if (setgroups(groups.size(), groups.data()) != 0) return failed("setgroups");
  if (setgid(gid) != 0) return failed("setgid");
  if (setuid(uid) != 0) return failed("setuid");
  prctl(PR_SET_KEEPCAPS, 0);

  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  auto keep = [&](int cap) {
    data[cap / 32].effective |= 1u << (cap % 32);
    data[cap / 32].permitted |= 1u << (cap % 32);
  };
  keep(CAP_NET_BIND_SERVICE);
  if (keep_sys_time) keep(CAP_SYS_TIME);
  if (syscall(SYS_capset, &header, data) != 0) return failed("capset");
  return {};
}

}  // namespace strata::stratad
