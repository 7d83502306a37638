#pragma once
// A minimal HTTP/1.x request-head parser for the metrics endpoint: request line and the few
// headers it cares about. Pure; bytes in, a decision out. Thread-compatible.

#include <cstddef>
#include <string>
#include <string_view>

namespace strata::server::control {

struct HttpRequest {
  enum class Status {
    kIncomplete,  // no end of the head yet: read more (within the size limit)
    kComplete,
    kBad,       // not an HTTP/1.x request head
    kTooLarge,  // the head is longer than allowed
  };
  Status status = Status::kIncomplete;
  std::string method;      // "GET"
  std::string path;        // "/metrics" (query string removed)
  std::string accept;      // value of the Accept header, if any
  size_t head_length = 0;  // bytes of the head, terminator included
};

// Parses the request head at the start of `bytes`. `max_head` bounds the head's size.
HttpRequest parseHttpRequest(std::string_view bytes, size_t max_head);

}  // namespace strata::server::control
