#pragma once
// Constants of chronyc's command and monitoring protocol ("cmdmon"), version 6 as chrony 4.x
// speaks it, with the layout facts this codec depends on. Values are chrony's public wire
// numbers; the Strata extension codes are chosen outside chrony's ranges.
//
// Every message starts with a fixed header, followed by a command- or reply-specific body;
// all integers are big-endian. A request is padded with zeros so that it is at least as long
// as the reply it asks for: a server never needs to send more bytes than it received.
//
//   request header (20 bytes): version u8, pkt_type u8 (1), res1 u8, res2 u8, command u16,
//                              attempt u16, sequence u32, pad1 u32, pad2 u32
//   reply header (28 bytes):   version u8, pkt_type u8 (2), res1 u8, res2 u8, command u16,
//                              reply u16, status u16, pad1..pad3 u16, sequence u32,
//                              pad4 u32, pad5 u32

#include <cstddef>
#include <cstdint>

namespace strata::proto::cmdmon {

inline constexpr uint8_t kProtocolVersion = 6;
// The oldest version to which a server still answers with a "bad version" status (chrony's
// behaviour), so that an old client can report the mismatch.
inline constexpr uint8_t kOldestAnsweredVersion = 5;

inline constexpr uint8_t kPacketTypeRequest = 1;
inline constexpr uint8_t kPacketTypeReply = 2;

inline constexpr size_t kRequestHeaderSize = 20;
inline constexpr size_t kReplyHeaderSize = 28;
// Longest request accepted (chrony's own request buffer is a little shorter than this).
inline constexpr size_t kMaxRequestSize = 1024;

// Request (command) codes.
namespace cmd {
inline constexpr uint16_t kOnline = 1;
inline constexpr uint16_t kOffline = 2;
inline constexpr uint16_t kBurst = 3;
inline constexpr uint16_t kModifyMinpoll = 4;
inline constexpr uint16_t kModifyMaxpoll = 5;
inline constexpr uint16_t kDump = 6;
inline constexpr uint16_t kModifyMaxdelay = 7;
inline constexpr uint16_t kModifyMaxdelayratio = 8;
inline constexpr uint16_t kModifyMaxupdateskew = 9;
inline constexpr uint16_t kSettime = 11;
inline constexpr uint16_t kManual = 13;
inline constexpr uint16_t kNSources = 14;
inline constexpr uint16_t kSourceData = 15;
inline constexpr uint16_t kRekey = 16;
inline constexpr uint16_t kAllow = 17;
inline constexpr uint16_t kAllowAll = 18;
inline constexpr uint16_t kDeny = 19;
inline constexpr uint16_t kDenyAll = 20;
inline constexpr uint16_t kCmdAllow = 21;
inline constexpr uint16_t kCmdAllowAll = 22;
inline constexpr uint16_t kCmdDeny = 23;
inline constexpr uint16_t kCmdDenyAll = 24;
inline constexpr uint16_t kAcCheck = 25;
inline constexpr uint16_t kCmdAcCheck = 26;
inline constexpr uint16_t kDelSource = 29;
inline constexpr uint16_t kWriteRtc = 30;
inline constexpr uint16_t kDfreq = 31;
inline constexpr uint16_t kTracking = 33;
inline constexpr uint16_t kSourceStats = 34;
inline constexpr uint16_t kRtcReport = 35;
inline constexpr uint16_t kTrimRtc = 36;
inline constexpr uint16_t kCycleLogs = 37;
inline constexpr uint16_t kManualList = 41;
inline constexpr uint16_t kManualDelete = 42;
inline constexpr uint16_t kMakeStep = 43;
inline constexpr uint16_t kActivity = 44;
inline constexpr uint16_t kModifyMinstratum = 45;
inline constexpr uint16_t kModifyPolltarget = 46;
inline constexpr uint16_t kModifyMaxdelaydevratio = 47;
inline constexpr uint16_t kReselect = 48;
inline constexpr uint16_t kReselectDistance = 49;
inline constexpr uint16_t kModifyMakestep = 50;
inline constexpr uint16_t kSmoothing = 51;
inline constexpr uint16_t kSmoothtime = 52;
inline constexpr uint16_t kRefresh = 53;
inline constexpr uint16_t kServerStats = 54;
inline constexpr uint16_t kNtpData = 57;
inline constexpr uint16_t kShutdown = 62;
inline constexpr uint16_t kOnOffline = 63;
inline constexpr uint16_t kAddSource = 64;
inline constexpr uint16_t kNtpSourceName = 65;
inline constexpr uint16_t kResetSources = 66;
inline constexpr uint16_t kAuthData = 67;
inline constexpr uint16_t kClientAccessesByIndex3 = 68;
inline constexpr uint16_t kSelectData = 69;
inline constexpr uint16_t kReloadSources = 70;
inline constexpr uint16_t kDoffset2 = 71;
inline constexpr uint16_t kModifySelectOpts = 72;
inline constexpr uint16_t kModifyOffset = 73;
inline constexpr uint16_t kLocal3 = 74;
// Strata extension: per-worker serving statistics ("SW"). chrony has no such code and answers
// it with "invalid command"; chronyc never sends it.
inline constexpr uint16_t kStrataWorkerData = 0x5357;
}  // namespace cmd

// Reply codes.
namespace rpy {
inline constexpr uint16_t kNull = 1;
inline constexpr uint16_t kNSources = 2;
inline constexpr uint16_t kSourceData = 3;
inline constexpr uint16_t kTracking = 5;
inline constexpr uint16_t kSourceStats = 6;
inline constexpr uint16_t kActivity = 12;
inline constexpr uint16_t kNtpData = 16;  // chrony <= 4.3 (Debian 12's chronyc)
inline constexpr uint16_t kNtpSourceName = 19;
inline constexpr uint16_t kClientAccessesByIndex3 = 21;
inline constexpr uint16_t kServerStats3 = 24;  // 32-bit counters, chrony <= 4.3
inline constexpr uint16_t kServerStats4 = 25;  // 64-bit counters + timestamp sources
inline constexpr uint16_t kNtpData2 = 26;      // adds kernel/hardware timestamp totals
inline constexpr uint16_t kStrataWorkerData = 0x5357;
}  // namespace rpy

// Status codes, and the text chronyc prints for them.
enum class Status : uint16_t {
  kSuccess = 0,            // "200 OK"
  kFailed = 1,             // "500 Failure"
  kUnauthorised = 2,       // "501 Not authorised"
  kInvalid = 3,            // "502 Invalid command"
  kNoSuchSource = 4,       // "503 No such source"
  kNotEnabled = 6,         // "505 Facility not enabled in daemon"
  kNoRtc = 13,             // "513 RTC driver not running"
  kBadSample = 16,         // "516 Sample index out of range"
  kBadPacketVersion = 18,  // "517 Protocol version mismatch"
  kBadPacketLength = 19,   // "518 Packet length mismatch"
  kInactive = 15,          // "519 Client logging is not active in the daemon"
};
// The line chronyc prints for a status ("501 Not authorised"); unknown codes get chronyc's
// catch-all "520 Got unexpected error from daemon".
const char* statusText(uint16_t status);

// Body sizes (bytes after the header).
inline constexpr size_t kAddressSize = 20;  // 16 address bytes, family u16, padding u16
inline constexpr size_t kMaxClientRecords = 8;
inline constexpr size_t kClientRecordSize = 60;
inline constexpr size_t kSourceNameSize = 256;

// Families of the address record.
enum class AddressFamily : uint16_t { kUnspec = 0, kInet4 = 1, kInet6 = 2, kId = 3 };

// Source modes and states of SOURCE_DATA.
enum class SourceMode : uint16_t { kClient = 0, kPeer = 1, kRefclock = 2 };
enum class SourceState : uint16_t {
  kSelected = 0,       // '*'
  kNonSelectable = 1,  // '?'
  kFalseticker = 2,    // 'x'
  kJittery = 3,        // '~'
  kUnselected = 4,     // '+' (combined)
  kSelectable = 5,     // '-' (not combined)
};

// NTP_DATA flags: the ten test bits, interleaved, authenticated.
inline constexpr uint16_t kNtpFlagTestsMask = 0x3ff;
inline constexpr uint16_t kNtpFlagInterleaved = 0x4000;
inline constexpr uint16_t kNtpFlagAuthenticated = 0x8000;

// Client-log interval value meaning "no estimate" (printed as "-").
inline constexpr int8_t kNoInterval = 127;
// "Never" for the *_ago fields in seconds (printed as "-").
inline constexpr uint32_t kNever = 0xFFFFFFFF;

}  // namespace strata::proto::cmdmon
