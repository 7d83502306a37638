// Fuzzes the cmdmon reply decoder; a decoded reply must re-encode and decode again (error
// statuses re-encode without a body, as the encoder always writes them).
#include <cstdint>
#include <cstdlib>
#include <span>

#include "proto/cmdmon/reply_codec.h"

namespace cm = strata::proto::cmdmon;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const cm::ReplyDecodeResult d = cm::decodeReply(std::span<const uint8_t>(data, size));
  if (d.error == cm::ReplyError::kNone) {
    const auto again = cm::decodeReply(cm::encodeReply(d.reply));
    const bool success = d.reply.header.status == 0;
    if (again.error != cm::ReplyError::kNone ||
        again.reply.header.status != d.reply.header.status ||
        (success && again.reply.header.reply != d.reply.header.reply) ||
        again.reply.body.index() != d.reply.body.index()) {
      std::abort();
    }
  }
  return 0;
}
