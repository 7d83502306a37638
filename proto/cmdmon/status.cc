#include "proto/cmdmon/protocol.h"

namespace strata::proto::cmdmon {

const char* statusText(uint16_t status) {
  switch (status) {
    case 0:
      return "200 OK";
    case 1:
      return "500 Failure";
    case 2:
      return "501 Not authorised";
    case 3:
      return "502 Invalid command";
    case 4:
      return "503 No such source";
    case 5:
      return "504 Duplicate or stale logon detected";
    case 6:
      return "505 Facility not enabled in daemon";
    case 7:
      return "507 Bad subnet";
    case 8:
      return "208 Access allowed";
    case 9:
      return "209 Access denied";
    case 10:
      return "510 No command access from this host";
    case 11:
      return "511 Source already present";
    case 12:
      return "512 Too many sources present";
    case 13:
      return "513 RTC driver not running";
    case 14:
      return "514 Can't write RTC parameters";
    case 15:
      return "519 Client logging is not active in the daemon";
    case 16:
      return "516 Sample index out of range";
    case 17:
      return "515 Invalid address family";
    case 18:
      return "517 Protocol version mismatch";
    case 19:
      return "518 Packet length mismatch";
    case 21:
      return "521 Invalid name";
    default:
      return "520 Got unexpected error from daemon";
  }
}

}  // namespace strata::proto::cmdmon
