// Fuzzes the decoding of kernel control messages (received datagrams and error-queue
// reports): arbitrary bytes in the control buffer must never crash the parsers.
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "hwts/cmsg_timestamps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Control buffers are aligned for cmsghdr; copy into an aligned buffer.
  std::vector<uint64_t> aligned((size + 7) / 8 + 1);
  std::memcpy(aligned.data(), data, size);
  msghdr msg{};
  msg.msg_control = aligned.data();
  msg.msg_controllen = size;
  (void)strata::hwts::parseRxControl(msg);
  (void)strata::hwts::parseTxErrqueue(msg);
  return 0;
}
